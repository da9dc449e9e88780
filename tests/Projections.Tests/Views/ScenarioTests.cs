using NodaTime;
using Records.Domain;
using Records.EventStore;
using Records.Projections.Access;
using Records.Projections.Emr;
using Records.Projections.Runner;
using Records.Projections.Traceability;
using Records.Projections.Views;
using static Records.Projections.Tests.Views.Scenario;

namespace Records.Projections.Tests.Views;

/// <summary>The views' answers about the hand-written <see cref="Scenario"/>, fact by fact.</summary>
public class ScenarioTests(ScenarioTests.Views views) : IClassFixture<ScenarioTests.Views>
{
    public sealed class Views : HistoryDatabase
    {
        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            await new Scenario(Store).WriteAsync();
            await using var runner = new ProjectionRunner(Store, [new EmrView(), new AccessView(), new TraceabilityView()], options: new ProjectionRunnerOptions { BatchSize = 4 });
            await runner.StartAsync();
            await WaitUntilCaughtUpAsync(runner, "emr", "access", "traceability");
        }
    }

    private async Task<RecordedEvent> Stored(string streamId, long version) =>
        await views.Store.ReadStreamAsync(streamId, fromVersion: version, maxCount: 1).SingleAsync();

    private static void AssertSame(RecordedEvent stored, EventRef traced)
    {
        Assert.Equal(stored.EventId, traced.EventId);
        Assert.Equal(stored.StreamId, traced.StreamId);
        Assert.Equal(stored.Version, traced.Version);
        Assert.Equal(stored.Sequence, traced.Sequence);
        Assert.Equal(Convert.ToHexStringLower(stored.Hash), traced.Hash);
        Assert.Equal(Convert.ToHexStringLower(stored.PreviousHash), traced.PreviousHash);
    }

    [Fact]
    public async Task A_diagnosis_traces_back_to_its_consultation_evidence_messages_doctor_and_signed_versions()
    {
        var diagnosisEvent = await Stored($"consultation-{Consultation}", 6);
        var trace = await new TraceabilityQueries(views.App).DiagnosisAsync(diagnosisEvent.EventId);

        Assert.NotNull(trace);
        Assert.Equal(Hypertension, trace.Diagnosis);
        AssertSame(diagnosisEvent, trace.Event);
        AssertSame(await Stored($"consultation-{Consultation}", 1), trace.Consultation.Requested);
        AssertSame(await Stored($"consultation-{Consultation}", 2), trace.Consultation.Accepted!);
        var evidence = Assert.Single(trace.Evidence);
        Assert.Equal(("HIS-42", EvidenceHash), (evidence.DocumentRef, evidence.ContentHash));
        AssertSame(await Stored($"consultation-{Consultation}", 3), evidence.Event);
        Assert.Equal(["m-1", "m-2"], trace.MessagesBefore.Select(m => m.MessageId)); // m-3 came after the diagnosis

        // The doctor as they stood then: verified for this consultation, not yet suspended.
        Assert.True(trace.Doctor is { Registered: true, EnrolmentHere: Records.Domain.Practitioner.EnrolmentKind.Registered, RealNameVerifiedForConsultation: true, Suspended: false });
        AssertSame(await Stored($"practitioner-{Doctor}", 1), trace.Doctor.Registration!);
        AssertSame(await Stored($"practitioner-{Doctor}", 2), trace.Doctor.Enrolment!);
        AssertSame(await Stored($"practitioner-{Doctor}", 4), trace.Doctor.Verification!);

        Assert.Equal([1, 2], trace.Documents.Select(d => d.Version));
        Assert.Empty(trace.Documents[0].Signatures);
        var version2 = trace.Documents[1];
        Assert.Equal(Version2Hash, version2.ContentHash);
        Assert.Equal(new Records.Domain.ClinicalDocument.DocumentVersion(2, 1, Version2Hash, Doctor, At(10), null).SigningHash(Document), version2.SigningHash);
        AssertSame(await Stored($"document-{Document}", 2), version2.Event);
        Assert.Equal([("sig-doc", true), ("sig-stray", false)], version2.Signatures.Select(s => (s.SignatureId, s.CoversExactly)));
        AssertSame(await Stored("signature-sig-doc", 1), version2.Signatures[0].Event);
    }

    [Fact]
    public async Task A_prescription_traces_through_signature_review_hand_off_dispensing_and_delivery()
    {
        var queries = new TraceabilityQueries(views.App);
        var trace = await queries.PrescriptionAsync(Prescription);

        Assert.NotNull(trace);
        Assert.Equal(Records.Domain.Prescription.PrescriptionStatus.Delivered, trace.Status);
        Assert.Equal([Hypertension], trace.Diagnoses);
        Assert.Equal([(await Stored($"consultation-{Consultation}", 6)).EventId], trace.ConsultationDiagnosisIds);
        Assert.Equal(["prescription.drafted.v1", "prescription.signed.v1", "prescription.approved.v1", "prescription.handed_off.v1",
            "prescription.dispensed.v1", "prescription.delivered.v1"], trace.Steps.Select(s => s.EventType));
        for (var version = 1; version <= 6; version++) AssertSame(await Stored($"prescription-{Prescription}", version), trace.Steps[version - 1].Event);
        Assert.Equal([("sig-rx", Doctor, 1L, true), ("sig-review", Pharmacist, 2L, true)],
            trace.Signatures.Select(s => (s.SignatureId, s.SignerId, s.SubjectVersion, s.CoversExactly)));
        Assert.True(trace.Prescriber is { RealNameVerifiedForConsultation: true, Suspended: false });
        Assert.True(trace.Reviewer is { PractitionerId: Pharmacist, EnrolmentHere: Records.Domain.Practitioner.EnrolmentKind.Filed });

        Assert.Null(await queries.PrescriptionAsync("rx-unknown"));
        Assert.Null(await queries.DiagnosisAsync(Guid.NewGuid()));
    }

    [Fact]
    public async Task The_access_view_answers_who_read_what_and_flags_the_unreviewed_break_glass()
    {
        var queries = new AccessQueries(views.App, CareLedger.DefaultRecentCare);
        var reads = await queries.ReadsOfPatientAsync(Patient);

        Assert.Equal(["acc-1", "acc-2", "acc-3"], reads.Select(r => r.AccessId));
        Assert.True(reads[0] is { ReaderId: Doctor, Purpose: "Treatment", CareRelationship: true, RelationshipInForce: true, BreakGlass: false });
        Assert.True(reads[1] is { ReaderId: Outsider, BreakGlass: true, BreakGlassReason: "Unconscious in the ED", RelationshipInForce: false, Review: null });
        Assert.True(reads[2] is { ReaderId: Other, BreakGlass: true, Review: { ReviewerId: "qm-1", Justified: true } });
        Assert.Equal(["acc-2"], (await queries.UnreviewedBreakGlassAsync()).Select(r => r.AccessId));
        Assert.Equal(["acc-2"], (await queries.ReadsByReaderAsync(Outsider)).Select(r => r.AccessId));
        Assert.Empty(await queries.ReadsOfPatientAsync(Patient, from: At(42)));
    }

    [Fact]
    public async Task What_a_person_could_see_follows_the_care_relationships_in_force_at_the_instant()
    {
        var queries = new AccessQueries(views.App, CareLedger.DefaultRecentCare);
        async Task<string[]> Sees(string person, Role role, Instant at) => [.. (await queries.CouldSeeAtAsync(person, role, at)).Select(v => $"{v.PatientId}:{v.Role}").Order()];
        var window = CareLedger.DefaultRecentCare;

        Assert.Empty(await Sees(Doctor, Role.Physician, At(2)));                      // before accepting
        Assert.Equal([$"{Patient}:attending_physician"], await Sees(Doctor, Role.Physician, At(10)));
        Assert.Equal([$"{Patient}:attending_physician"], await Sees(Doctor, Role.Physician, At(20) + window - Duration.FromSeconds(1))); // recent care
        Assert.Empty(await Sees(Doctor, Role.Physician, At(20) + window));
        // Signed, awaiting review: every pharmacist (the review queue is theirs), no one else.
        Assert.Equal([$"{Patient}:awaiting_review"], await Sees("ph-any", Role.Pharmacist, At(14)));
        Assert.Empty(await Sees("ph-any", Role.Physician, At(14)));
        Assert.Empty(await Sees("ph-any", Role.Pharmacist, At(15)));                 // reviewed: the queue no longer holds it
        Assert.Equal([$"{Patient}:reviewing_pharmacist"], await Sees(Pharmacist, Role.Pharmacist, At(16)));
        Assert.Equal([$"{Patient}:dispensing_pharmacist", $"{Patient}:reviewing_pharmacist"], await Sees(Pharmacist, Role.Pharmacist, At(17)));
        Assert.Equal([$"{Patient}:dispensing_pharmacist", $"{Patient}:reviewing_pharmacist"], await Sees(Pharmacist, Role.Pharmacist, At(18))); // delivered: recent care
        Assert.Empty(await Sees(Pharmacist, Role.Pharmacist, At(18) + window));
        Assert.Equal([$"{Patient}:patient"], await Sees(Patient, Role.Patient, At(100)));
        Assert.Empty(await Sees(Outsider, Role.Physician, At(40)));                  // break-glass is no relationship
    }

    [Fact]
    public async Task The_recent_care_window_is_a_setting_of_the_reads()
    {
        var shorter = new AccessQueries(views.App, Duration.FromDays(1));

        Assert.NotEmpty(await shorter.CouldSeeAtAsync(Doctor, Role.Physician, At(20) + Duration.FromHours(23)));
        Assert.Empty(await shorter.CouldSeeAtAsync(Doctor, Role.Physician, At(20) + Duration.FromDays(1)));
        Assert.NotEmpty(await new AccessQueries(views.App, CareLedger.DefaultRecentCare).CouldSeeAtAsync(Doctor, Role.Physician, At(20) + Duration.FromDays(1)));
    }

    [Fact]
    public async Task The_emr_shows_the_patients_problems_prescriptions_documents_and_a_timeline_paged_both_ways()
    {
        var queries = new EmrQueries(views.App);
        var problem = Assert.Single(await queries.ProblemsAsync(Patient));
        Assert.Equal(("I10", "I10.x01", 1), (problem.Category, problem.LatestIcd10, problem.Diagnoses));
        var prescription = Assert.Single(await queries.PrescriptionsAsync(Patient));
        Assert.True(prescription is { Status: "Delivered", IsActive: false, ReviewerId: Pharmacist, PharmacyId: "pharmacy-1" });
        var document = Assert.Single(await queries.DocumentsAsync(Patient));
        Assert.True(document is { CurrentVersion: 2, SignedVersion: 2, Archived: true, Sealed: false });
        Assert.Equal([(1, (string?)null), (2, "sig-doc")], document.Versions.Select(v => (v.Version, v.SignatureId)));
        Assert.True(Assert.Single(await queries.ConsultationsAsync(Patient)) is { Status: "Completed", DoctorId: Doctor });

        var all = new List<TimelineEntry>();
        string? after = null;
        Page<TimelineEntry> page;
        do
        {
            page = await queries.TimelineAsync(Patient, new PageRequest(First: 4, After: after));
            all.AddRange(page.Edges.Select(e => e.Node));
            after = page.EndCursor;
        } while (page.HasNextPage);
        var expected = await views.ScalarAsync<long>("select count(*) from eventstore.events where stream_id in ('patient-pat-s', 'consultation-con-s', 'document-doc-s', 'prescription-rx-s')");
        Assert.Equal(expected, all.Count);
        Assert.Equal(all.OrderBy(e => e.RecordedAt).ThenBy(e => e.Sequence), all);
        Assert.Contains(all, e => e.EventType == "consultation.diagnosis_recorded.v1" && e.RecordId == Consultation);

        var last = await queries.TimelineAsync(Patient, new PageRequest(Last: 3));
        Assert.Equal(all.TakeLast(3), last.Edges.Select(e => e.Node));
        Assert.True(last.HasPreviousPage);
        var before = await queries.TimelineAsync(Patient, new PageRequest(Last: 2, Before: last.StartCursor));
        Assert.Equal(all.SkipLast(3).TakeLast(2), before.Edges.Select(e => e.Node));

        Assert.Equal("cursor.invalid", (await Assert.ThrowsAsync<ViewQueryException>(() => queries.TimelineAsync(Patient, new PageRequest(First: 2, After: "nonsense")))).Code);
        Assert.Equal("page.size", (await Assert.ThrowsAsync<ViewQueryException>(() => queries.TimelineAsync(Patient, new PageRequest(First: 0)))).Code);
    }
}
