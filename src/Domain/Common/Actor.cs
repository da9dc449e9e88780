namespace Records.Domain;

/// <summary>What an actor is in the system. <see cref="Service"/> and <see cref="Ai"/> are machine principals.</summary>
public enum Role
{
    Patient,
    Physician,
    Pharmacist,
    Nurse,
    QualityManager,
    Regulator,
    Legal,
    Integrator,
    Administrator,
    /// <summary>A service principal (an integration, a scheduler): never a clinical author.</summary>
    Service,
    /// <summary>An AI assistant: may assist, may not replace the doctor.</summary>
    Ai,
}

/// <summary>Who acts: an id, a role, and whether authentication verified the real name (实名认证).</summary>
public sealed record Actor(string Id, Role Role, bool RealNameVerified)
{
    public bool IsMachine => Role is Role.Service or Role.Ai;
}

/// <summary>The facts every command carries: who acts, when they claim it happens, and the command id used for idempotency.</summary>
public sealed record CommandMeta(Actor Actor, Instant ClaimedAt, Guid CommandId);

/// <summary>A command of any stream.</summary>
public interface ICommand
{
    CommandMeta Meta { get; }
}

/// <summary>A fact that happened, stored in an event stream. Every implementation is registered in <see cref="Serialization.EventTypeRegistry"/>.</summary>
public interface IDomainEvent;
