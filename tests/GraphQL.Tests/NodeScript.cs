using System.Diagnostics;

namespace Records.GraphQL.Tests;

/// <summary>Runs a script of tests/conformance/graphql-js with node and returns what it printed.</summary>
internal static class NodeScript
{
    private static readonly Lazy<string> ScriptsDirectory = new(FindScripts);

    public static async Task<string> RunAsync(string script, params string[] arguments)
    {
        var node = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(directory => Path.Combine(directory, "node")).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("node was not found on PATH; the conformance tests need node 20 or later.");
        var directory = ScriptsDirectory.Value;
        if (!Directory.Exists(Path.Combine(directory, "node_modules", "graphql")))
            throw new InvalidOperationException($"The conformance npm packages are not installed: run `npm ci` in {directory}.");
        var start = new ProcessStartInfo(node) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"node {script} did not finish within 60 s.");
        }
        if (process.ExitCode != 0) throw new InvalidOperationException($"node {script} {string.Join(' ', arguments)} failed: {await error}");
        return await output;
    }

    private static string FindScripts()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "conformance", "graphql-js");
            if (File.Exists(Path.Combine(candidate, "package.json"))) return candidate;
        }
        throw new InvalidOperationException("tests/conformance/graphql-js was not found above " + AppContext.BaseDirectory);
    }
}
