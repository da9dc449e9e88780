namespace Records.Bench;

/// <summary>What a benchmark's figures depend on besides the code: the cores and how busy the machine is.</summary>
internal static class Machine
{
    /// <summary>"2 cores, load average 3.1 2.8 2.5" (the last 1, 5 and 15 minutes; Linux only).</summary>
    public static string Describe() =>
        $"{Environment.ProcessorCount} cores, load average " +
        (File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown");

    /// <summary>The whole machine's CPU time so far, all cores: in all, idle, and in the kernel (Linux only; null elsewhere).</summary>
    public static (long Total, long Idle, long Kernel)? CpuTimes()
    {
        if (!File.Exists("/proc/stat")) return null;
        // "cpu  user nice system idle iowait irq softirq steal ..." in clock ticks
        var ticks = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(long.Parse).ToArray();
        return (ticks.Sum(), ticks[3] + ticks[4], ticks[2] + ticks[5] + ticks[6]);
    }

    /// <summary>
    /// "95% (kernel 30%)": the share of all cores' time between two readings that was not idle, and the kernel's part
    /// of it (system calls, context switches, interrupts), which grows more than the rest when the machine is contended.
    /// </summary>
    public static string BusyBetween((long Total, long Idle, long Kernel)? start, (long Total, long Idle, long Kernel)? end) =>
        start is { } a && end is { } b && b.Total > a.Total
            ? $"{100.0 * (1 - (double)(b.Idle - a.Idle) / (b.Total - a.Total)):F0}% (kernel {100.0 * (b.Kernel - a.Kernel) / (b.Total - a.Total):F0}%)"
            : "unknown";
}
