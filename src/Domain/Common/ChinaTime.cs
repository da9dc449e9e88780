namespace Records.Domain;

/// <summary>
/// Calendar questions (a patient's age, "valid on the day written") are answered in China Standard Time,
/// UTC+8 all year, where the hospital and its regulator are.
/// </summary>
public static class ChinaTime
{
    public static readonly DateTimeZone Zone = DateTimeZone.ForOffset(Offset.FromHours(8));

    public static LocalDate DateOf(Instant instant) => instant.InZone(Zone).Date;

    public static Instant StartOf(LocalDate date) => date.AtStartOfDayInZone(Zone).ToInstant();

    /// <summary>Whole years completed between <paramref name="since"/> and the calendar date of <paramref name="at"/>.</summary>
    public static int YearsSince(LocalDate since, Instant at)
    {
        var today = DateOf(at);
        return today < since ? 0 : Period.Between(since, today, PeriodUnits.Years).Years;
    }
}
