using Records.Api.Commands;
using Records.Api.Schema;
using Records.Domain;
using Records.GraphQL.Types;

namespace Records.Api.Tests.Writes;

/// <summary>The mutations as a client reads them in the schema: one per command, named and typed from the domain's records.</summary>
public sealed class CommandSchemaTests
{
    private static readonly GraphQL.Types.Schema Schema = RecordsSchema.Build();
    private static readonly string Sdl = SchemaPrinter.Print(Schema);

    [Fact]
    public void Every_command_of_the_domain_but_the_hosts_own_has_its_mutation()
    {
        var commands = typeof(ICommand).Assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ICommand).IsAssignableFrom(t)).ToList();

        Assert.True(commands.Count >= 60, $"only {commands.Count} commands found");
        Assert.Equal(commands.Count, CommandCatalog.All.Count);
        Assert.Equal([typeof(Domain.RecordAccess.RecordRead)], CommandCatalog.HostOnly);
        Assert.All(commands.Except(CommandCatalog.HostOnly), command =>
        {
            var field = Schema.Mutation!.GetField(char.ToLowerInvariant(command.Name[0]) + command.Name[1..]);
            Assert.True(field is not null, $"no mutation for {command.Name}");
            Assert.Equal($"{command.Name}Input!", field.GetArgument("input")!.Type.ToString());
            Assert.EndsWith("Payload!", field.Type.ToString());
            Assert.False(string.IsNullOrWhiteSpace(field.Description));
        });
        Assert.All(CommandCatalog.HostOnly, command => Assert.Null(Schema.Mutation!.GetField(char.ToLowerInvariant(command.Name[0]) + command.Name[1..])));
    }

    [Theory]
    [InlineData("signPrescription(input: SignPrescriptionInput!): PrescriptionPayload!")]
    [InlineData("completeConsultation(input: CompleteConsultationInput!): ConsultationPayload!")]
    [InlineData("reviewBreakGlass(input: ReviewBreakGlassInput!): RecordAccessPayload!")]
    public void Mutations_read_as_the_domain_names_them(string field) => Assert.Contains(field, Sdl);

    [Fact]
    public void An_input_holds_the_client_mutation_id_the_record_and_the_commands_fields()
    {
        var input = (InputObjectType)Schema.GetType("SignPrescriptionInput")!;

        Assert.Equal(["clientMutationId", "prescriptionId", "signatureId"], input.Fields.Keys);
        Assert.All(input.Fields.Values, f => Assert.Equal("ID!", f.Type.ToString()));
        Assert.Contains("retry", input.Fields["clientMutationId"].Description);
    }

    [Fact]
    public void Commands_and_their_fields_are_described_in_the_domains_own_words()
    {
        var draft = (InputObjectType)Schema.GetType("DraftPrescriptionInput")!;
        Assert.Equal("The written reason for a days' supply over the limit (chronic, elderly, special case).", draft.Fields["longerSupplyReason"].Description);
        Assert.Null(draft.Fields["emergency"].Description); // the domain says nothing of it: nor does the schema

        // A summary's references read as the names they refer to.
        Assert.Contains("The prescriber signs; the signature covers SigningHash.", Schema.Mutation!.GetField("signPrescription")!.Description);
        Assert.Contains("Signs the current version: the signature covers SigningHash.", Schema.Mutation!.GetField("signDocument")!.Description); // a method's reference
        Assert.Contains("The prescriber extends validity to totalDays calendar days", Schema.Mutation!.GetField("extendValidity")!.Description);
        // Records inside inputs too.
        Assert.Equal("One drug on a prescription: form, strength, quantity, dosage, and days' supply.", Schema.GetType("PrescriptionLineInput")!.Description);
    }

    [Fact]
    public void A_creating_command_may_name_its_new_record_or_leave_it_to_the_client_mutation_id()
    {
        var input = (InputObjectType)Schema.GetType("RegisterPatientInput")!;

        Assert.Equal("ID", input.Fields["patientId"].Type.ToString());
        Assert.Contains("clientMutationId", input.Fields["patientId"].Description);
        Assert.Equal("LocalDate!", input.Fields["dateOfBirth"].Type.ToString());
        Assert.Equal("Sex!", input.Fields["sex"].Type.ToString());
    }

    [Fact]
    public void Nullable_fields_are_optional_and_records_are_input_objects()
    {
        var complete = (InputObjectType)Schema.GetType("CompleteConsultationInput")!;
        var draft = (InputObjectType)Schema.GetType("DraftPrescriptionInput")!;
        var line = (InputObjectType)Schema.GetType("PrescriptionLineInput")!;

        Assert.Equal("SignedReportInput", complete.Fields["report"].Type.ToString());
        Assert.Equal("[PrescriptionLineInput!]!", draft.Fields["lines"].Type.ToString());
        Assert.Equal("String", draft.Fields["longerSupplyReason"].Type.ToString());
        Assert.Equal("Decimal!", line.Fields["quantity"].Type.ToString());
        Assert.Equal("DrugClass!", line.Fields["class"].Type.ToString());
        Assert.Equal("Int!", line.Fields["daysSupply"].Type.ToString());
    }

    [Fact]
    public void Enums_are_graphql_enums_and_time_values_are_documented_scalars()
    {
        var kinds = (EnumType)Schema.GetType("ConsultationKind")!;

        Assert.Equal(["ONLINE_ADVICE", "ONLINE_FOLLOW_UP", "REMOTE_CONSULTATION"], kinds.Values.Select(v => v.Name));
        Assert.All(new[] { "Instant", "LocalDate", "Duration", "Decimal", "Long" }, name =>
            Assert.Contains("`", ((ScalarType)Schema.GetType(name)!).Description));
    }

    [Fact]
    public void A_payload_holds_the_events_the_error_and_the_records_state()
    {
        var payload = (ObjectType)Schema.GetType("PrescriptionPayload")!;
        var state = (ObjectType)Schema.GetType("PrescriptionState")!;

        Assert.Equal(["clientMutationId", "recordId", "prescription", "events", "error"], payload.Fields.Keys);
        Assert.Equal("PrescriptionState", payload.Fields["prescription"].Type.ToString());
        Assert.Equal("PrescriptionStatus!", state.Fields["status"].Type.ToString());
        Assert.Equal("Instant", state.Fields["signedAt"].Type.ToString());
        Assert.Equal("String!", state.Fields["signingHash"].Type.ToString());
        Assert.Equal("[EnrolmentEntry!]!", ((ObjectType)Schema.GetType("PractitionerState")!).Fields["enrolments"].Type.ToString());
    }
}
