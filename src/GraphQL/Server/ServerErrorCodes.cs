namespace Records.GraphQL.Server;

/// <summary>The <c>extensions.code</c> values of the request pipeline (beside those of parsing, validation and execution).</summary>
public static class ServerErrorCodes
{
    /// <summary>Trusted documents are on and the request sent document text instead of a registered id.</summary>
    public const string TrustedDocumentRequired = "TRUSTED_DOCUMENT_REQUIRED";

    /// <summary>The request names a document id that is not registered.</summary>
    public const string TrustedDocumentNotFound = "TRUSTED_DOCUMENT_NOT_FOUND";
}
