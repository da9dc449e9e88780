using System.Diagnostics;

namespace Records.GraphQL.Tests.Introspection;

/// <summary>Runs the graphql-js scripts in tests/conformance/graphql-js with node.</summary>
internal static class Node
{
    public static string ScriptsDirectory { get; } = FindScripts();

    public static string Run(params string[] arguments)
    {
        var node = FindOnPath("node")
            ?? throw new InvalidOperationException("node was not found on PATH; the graphql-js conformance tests need node 20 or later.");
        if (!Directory.Exists(Path.Combine(ScriptsDirectory, "node_modules", "graphql")))
            throw new InvalidOperationException($"graphql-js is not installed: run `npm ci` in {ScriptsDirectory}.");
        var start = new ProcessStartInfo(node) { WorkingDirectory = ScriptsDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("introspection.mjs");
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60))) process.Kill();
        if (process.ExitCode != 0) throw new InvalidOperationException($"node introspection.mjs {string.Join(' ', arguments)} failed: {error.Result}");
        return output.Result;
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);

    private static string FindScripts()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "conformance", "graphql-js");
            if (File.Exists(Path.Combine(candidate, "introspection.mjs"))) return candidate;
        }
        throw new InvalidOperationException("tests/conformance/graphql-js was not found above " + AppContext.BaseDirectory);
    }
}
