namespace Records.Domain.Tests.Support;

public static class DecisionAssertions
{
    public static IReadOnlyList<TEvent> Accepted<TEvent>(this Decision<TEvent> decision)
        where TEvent : IDomainEvent
    {
        Assert.True(decision.IsAccepted, decision.IsAccepted ? "" : $"{decision.Rejection!.Code}: {decision.Rejection.Message}");
        return decision.Events;
    }

    /// <summary>The single event of the list, as the expected type.</summary>
    public static TExpected One<TExpected>(this IEnumerable<object> events) => Assert.IsType<TExpected>(Assert.Single(events));

    public static Rejection Rejected<TEvent>(this Decision<TEvent> decision, string code, string? ruleId = null)
        where TEvent : IDomainEvent
    {
        Assert.False(decision.IsAccepted, $"expected {code}, was {decision}");
        Assert.Equal(code, decision.Rejection!.Code);
        Assert.False(string.IsNullOrWhiteSpace(decision.Rejection.Message));
        if (ruleId is not null)
        {
            Assert.Equal(ruleId, decision.Rejection.Rule?.Id);
            Assert.False(string.IsNullOrWhiteSpace(decision.Rejection.Rule!.Source));
        }

        return decision.Rejection;
    }
}
