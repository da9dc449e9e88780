using Records.GraphQL.Types;

namespace Records.Api.Schema;

/// <summary>
/// The records schema, code-first, composed from its parts: each part adds its fields to the roots and
/// takes the shared types from <see cref="CommonTypes"/>.
/// </summary>
public static class RecordsSchema
{
    public static GraphQL.Types.Schema Build()
    {
        var common = new CommonTypes();
        var prescriptions = new PrescriptionTypes();
        var domain = new DomainTypes(common);
        var read = new ReadTypes(domain);
        var prescriptionRecord = ClinicianQueries.PrescriptionRecord(read);
        var feeds = new FeedTypes();
        var webhooks = new WebhookTypes();
        var query = new ObjectType("Query", t =>
        {
            t.Field("me", common.Actor.NonNull(), ctx => ctx.ActorOf());
            PatientRecordQueries.AddTo(t, common, prescriptions);
            ClinicianQueries.AddTo(t, common, read, prescriptionRecord);
            SupervisionQueries.AddTo(t, common, read);
            LegalQueries.AddTo(t, common, read);
            PatientQueries.AddTo(t, read);
            WebhookFeedFields.AddQueries(t, webhooks);
        });
        var mutation = new ObjectType("Mutation", t =>
        {
            CommandMutations.AddTo(t, common, domain);
            WebhookFeedFields.AddMutations(t, webhooks);
        });
        var subscription = new ObjectType("Subscription", t => FeedSubscriptions.AddTo(t, feeds));
        return new GraphQL.Types.Schema(query, mutation, subscription).AssertValid();
    }
}
