using NodaTime;
using Records.Api.Access;
using Records.Api.Commands;
using Records.Api.Signatures;
using Records.Domain;
using Records.Domain.Rules;
using Records.Domain.Signature;
using Records.EventStore;
using Records.EventStore.Sequencing;
using Records.Projections.Streams;
using Records.Testing;
using Actor = Records.Domain.Actor;

namespace Records.Api.Tests;

/// <summary>A test database with the sequencer running and the write side composed on it, as the host composes it.</summary>
public class WriteSideDatabase : EventStoreDatabase
{
    public const string InstitutionId = "ih-test";

    private Sequencer? _sequencer;
    private LogTail? _tail;

    public PostgresEventStore Store { get; private set; } = null!;

    public DomainStore Domain { get; private set; } = null!;

    public CommandExecutor Commands { get; private set; } = null!;

    public CareRelationships Care { get; private set; } = null!;

    public AuditedReads Reads { get; private set; } = null!;

    public PatientRecords Records { get; private set; } = null!;

    public Records.Projections.Pseudonymizer Pseudonyms { get; } = new("test-pseudonym-key-0123456789abcdef"u8.ToArray());

    public static SignatureVerifiers Verifiers { get; } = new(new EcdsaP256Sha256Verifier(), new Sm2WithSm3Verifier());

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _sequencer = new Sequencer(App);
        _sequencer.Start();
        Store = new PostgresEventStore(App);
        _tail = new LogTail(Store);
        await _tail.StartAsync();
        Domain = new DomainStore(Store);
        var links = new PatientLinks(App);
        Care = new CareRelationships(links, new AccessOptions());
        var regulation = new Regulation(RuleCatalog.Default, new Place("330000", InstitutionId));
        var facts = new DecisionFacts(Domain, links, Care, SystemClock.Instance, regulation, Verifiers);
        Commands = new CommandExecutor(Domain, facts, new RejectionLog(Store), new SequenceWaiter(Store, _tail, TimeSpan.FromSeconds(10)));
        Reads = new AuditedReads(Commands, Care, Pseudonyms, regulation, SystemClock.Instance);
        Records = new PatientRecords(Domain, links);
    }

    public override async Task DisposeAsync()
    {
        if (_tail is not null) await _tail.DisposeAsync();
        if (_sequencer is not null) await _sequencer.DisposeAsync();
        await base.DisposeAsync();
    }

    public static CommandMeta Meta(string actorId, Role role, bool realNameVerified = true) =>
        new(new Actor(actorId, role, realNameVerified), SystemClock.Instance.GetCurrentInstant(), Guid.NewGuid());
}
