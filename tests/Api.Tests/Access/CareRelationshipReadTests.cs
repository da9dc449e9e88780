using Records.Api.Tests.Reads;
using Records.Api.Tests.Schema;
using Records.Api.Tests.Writes;
using Records.Domain;
using static Records.Api.Demo.DemoPersonas;

namespace Records.Api.Tests.Access;

/// <summary>The demo hospital with no recent-care window: a relationship ends when its record does.</summary>
public sealed class NoRecentCareHostFixture : RecordsHostFixture
{
    protected override IEnumerable<string> MoreSettings => ["--Records:Demo:Skip=false", "--Records:Demo:Load=true", "--Records:Access:RecentCareDays=0"];
}

/// <summary>Reads a patient's record through GraphQL: the refusal's code (null when allowed) and, when allowed, whether the read was by care relationship.</summary>
public sealed class RecordReader(RecordsHostFixture host)
{
    private readonly GraphQLClient _client = new(host);

    public async Task<(string? Refusal, bool? CareRelationship)> ReadAsync(Actor reader, string patientId, string? reason = null)
    {
        var body = await _client.PostAsync(reader, "query($id: ID!, $reason: String) { patientRecord(patientId: $id, reason: $reason) { patientId } }",
            new { id = patientId, reason });
        if (body.TryGetProperty("errors", out var errors)) return (errors[0].GetProperty("extensions").GetProperty("code").GetString(), null);

        await using var command = host.Admin.CreateCommand("""
            select (data->>'careRelationship')::boolean from eventstore.events
            where event_type = 'record_access.read.v1' and actor_id = $1 and data->>'patientId' = $2 order by id desc limit 1
            """);
        command.Parameters.Add(new() { Value = reader.Id });
        command.Parameters.Add(new() { Value = patientId });
        return (null, (bool)(await command.ExecuteScalarAsync())!);
    }
}

/// <summary>
/// Reads allowed and refused by each care relationship (<see cref="Projections.Access.CareLedger"/>, which the access view uses too),
/// on the demo hospital: Zhang's follow-up with Dr Li completed, his prescriptions in every state (Chen approved, Liu rejected, one
/// awaiting review), Xiaoming's mother his guardian, and Nurse Sun, who has no care relationship (no record assigns nurses).
/// </summary>
public sealed class CareRelationshipReadTests(DemoHostFixture host) : IClassFixture<DemoHostFixture>
{
    private readonly RecordReader _reader = new(host);

    private const string NotYours = "access.not_your_record", NeedsReason = "access.break_glass_reason_required";

    [Fact]
    public async Task A_patient_reads_their_own_record_and_their_guardian_their_wards_until_another_is_assigned()
    {
        Assert.Equal((null, true), await _reader.ReadAsync(PatientZhang, PatientZhang.Id));
        Assert.Equal((NotYours, null), await _reader.ReadAsync(PatientZhang, PatientLi.Id));
        Assert.Equal((null, true), await _reader.ReadAsync(XiaomingsMother, Xiaoming.Id));
        Assert.Equal((NotYours, null), await _reader.ReadAsync(XiaomingsMother, PatientZhang.Id));

        // A new guardian replaces the one before.
        var father = new Actor("gd-xiaoming-father", Role.Patient, true);
        await new WriteApi(host).AcceptedAsync(Administrator, "AssignGuardian", new { patientId = Xiaoming.Id, guardian = new { guardianId = father.Id, name = "王强", relationship = "父亲" } });
        Assert.Equal((null, true), await _reader.ReadAsync(father, Xiaoming.Id));
        Assert.Equal((NotYours, null), await _reader.ReadAsync(XiaomingsMother, Xiaoming.Id));
    }

    [Fact]
    public async Task The_doctor_of_a_recent_consultation_reads_and_another_doctor_needs_a_break_glass_reason()
    {
        Assert.Equal((null, true), await _reader.ReadAsync(DrLi, PatientZhang.Id));      // c-zhang-htn, completed just now
        Assert.Equal((NeedsReason, null), await _reader.ReadAsync(DrLi, PatientWu.Id));   // Wu's visits were never accepted
        Assert.Equal((NeedsReason, null), await _reader.ReadAsync(DrZhao, PatientZhang.Id));
        Assert.Equal((null, false), await _reader.ReadAsync(DrZhao, PatientZhang.Id, "会诊前查看病史"));
    }

    [Fact]
    public async Task Every_pharmacist_reads_while_a_prescription_awaits_review_and_its_reviewers_after()
    {
        var newcomer = new Actor("ph-newcomer", Role.Pharmacist, true);
        Assert.Equal((null, true), await _reader.ReadAsync(newcomer, PatientZhang.Id));   // rx-awaiting-review
        Assert.Equal((NeedsReason, null), await _reader.ReadAsync(newcomer, PatientWu.Id));

        // Once nothing of Zhang's awaits review, only the pharmacists who reviewed his prescriptions still read.
        await new WriteApi(host).AcceptedAsync(DrLi, "CancelPrescription", new { prescriptionId = "rx-awaiting-review", reason = "患者改为线下就诊" });
        Assert.Equal((NeedsReason, null), await _reader.ReadAsync(newcomer, PatientZhang.Id));
        Assert.Equal((null, true), await _reader.ReadAsync(PharmacistChen, PatientZhang.Id)); // approved rx-approved, still live
        Assert.Equal((null, true), await _reader.ReadAsync(PharmacistLiu, PatientZhang.Id));  // rejected rx-rejected: recent care
    }

    [Fact]
    public async Task A_nurse_has_no_care_relationship_and_reads_by_break_glass()
    {
        Assert.Equal((NeedsReason, null), await _reader.ReadAsync(NurseSun, PatientZhang.Id));
        Assert.Equal((null, false), await _reader.ReadAsync(NurseSun, PatientZhang.Id, "夜班电话咨询，需查看用药"));
    }
}

/// <summary>The recent-care window is the <c>Records:Access:RecentCareDays</c> setting: at 0, a relationship ends with its record.</summary>
public sealed class RecentCareSettingTests(NoRecentCareHostFixture host) : IClassFixture<NoRecentCareHostFixture>
{
    private readonly RecordReader _reader = new(host);

    [Fact]
    public async Task Without_a_window_the_doctor_of_a_completed_consultation_no_longer_reads_while_open_records_still_give_theirs()
    {
        Assert.Equal(("access.break_glass_reason_required", null), await _reader.ReadAsync(DrLi, PatientZhang.Id));
        Assert.Equal((null, true), await _reader.ReadAsync(DrZhao, PatientLi.Id));          // c-li-remote is still open
        Assert.Equal((null, true), await _reader.ReadAsync(PharmacistChen, PatientZhang.Id)); // rx-approved is still live

        var myPatients = await new GraphQLClient(host).DataAsync(DrLi, "{ myPatients(first: 20) { edges { node { patientId } } } }", "myPatients");
        Assert.DoesNotContain(myPatients.GetProperty("edges").EnumerateArray(), e => e.GetProperty("node").GetProperty("patientId").GetString() == PatientZhang.Id);
    }
}
