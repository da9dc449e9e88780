namespace Records.Bench;

/// <summary>What a benchmark's figures depend on besides the code: the cores and how busy the machine is.</summary>
internal static class Machine
{
    /// <summary>"2 cores, load average 3.1 2.8 2.5" (the last 1, 5 and 15 minutes; Linux only).</summary>
    public static string Describe() =>
        $"{Environment.ProcessorCount} cores, load average " +
        (File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown");
}
