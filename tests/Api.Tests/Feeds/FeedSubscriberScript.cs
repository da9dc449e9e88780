using System.Diagnostics;

namespace Records.Api.Tests.Feeds;

/// <summary>Runs feed-subscriber.mjs (the graphql-ws npm client) with node and the npm packages of tests/conformance/graphql-js.</summary>
internal static class FeedSubscriberScript
{
    public static async Task<string> RunAsync(string url, string token, string query, int count)
    {
        var node = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(directory => Path.Combine(directory, "node")).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("node was not found on PATH; this test needs node 20 or later.");
        var root = RepositoryRoot();
        var packages = Path.Combine(root, "tests", "conformance", "graphql-js");
        if (!Directory.Exists(Path.Combine(packages, "node_modules", "graphql-ws")))
            throw new InvalidOperationException($"The npm packages are not installed: run `npm ci` in {packages}.");
        var start = new ProcessStartInfo(node) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { Path.Combine(root, "tests", "Api.Tests", "Feeds", "feed-subscriber.mjs"), packages, url, token, query, count.ToString() })
            start.ArgumentList.Add(argument);
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
            throw new TimeoutException("node feed-subscriber.mjs did not finish within 60 s.");
        }

        if (process.ExitCode != 0) throw new InvalidOperationException($"node feed-subscriber.mjs failed: {await error}");
        return await output;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "tests", "Api.Tests", "Feeds", "feed-subscriber.mjs"))) return directory.FullName;
        throw new InvalidOperationException("tests/Api.Tests/Feeds/feed-subscriber.mjs was not found above " + AppContext.BaseDirectory);
    }
}
