using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace Records.EventStore.Postgres;

/// <summary>
/// A private PostgreSQL cluster started from the machine's own PostgreSQL binaries, in a folder of
/// ours, on a free loopback port. It is the default when no connection string is configured, for
/// the product and for the tests. PostgreSQL refuses to run as root, so under root the server runs
/// as the <c>postgres</c> system user.
/// </summary>
public sealed class EmbeddedPostgres : IAsyncDisposable
{
    private const string SuperUser = "postgres";
    private readonly PostgresBinaries _binaries;
    private readonly EmbeddedPostgresOptions _options;
    private readonly bool _ownsServer;

    private EmbeddedPostgres(PostgresBinaries binaries, EmbeddedPostgresOptions options, int port, string password, bool ownsServer)
    {
        _binaries = binaries;
        _options = options;
        Port = port;
        SuperUserPassword = password;
        _ownsServer = ownsServer;
    }

    public int Port { get; }

    public string SuperUserPassword { get; }

    public string DataDirectory => Path.Combine(_options.RootDirectory, "pgdata");

    /// <summary>
    /// A superuser connection string to <paramref name="database"/>, through the server's Unix-domain socket in the
    /// cluster's folder: the same server as on 127.0.0.1 (which other tools may use), with less of the kernel's work
    /// per message (lag bench, 1,000 events/s on 2 cores: cores 71–87% busy through TCP, 64–78% through the socket).
    /// </summary>
    public string ConnectionString(string database = "postgres") =>
        $"Host={_options.RootDirectory};Port={Port};Username={SuperUser};Password={SuperUserPassword};Database={database}";

    /// <summary>
    /// Starts the cluster in <see cref="EmbeddedPostgresOptions.RootDirectory"/>, creating it on first
    /// use. A server already running from that folder (left by an earlier run) is reused.
    /// </summary>
    public static async Task<EmbeddedPostgres> StartAsync(EmbeddedPostgresOptions options, CancellationToken cancellationToken = default)
    {
        var binaries = PostgresBinaries.Locate();
        var runAsPostgres = ProcessIdentity.IsRoot;
        var root = Path.GetFullPath(options.RootDirectory);
        options = options with { RootDirectory = root };
        Directory.CreateDirectory(root);
        var passwordFile = Path.Combine(root, "superuser-password");
        var dataDirectory = Path.Combine(root, "pgdata");

        if (runAsPostgres)
        {
            ProcessIdentity.RequirePostgresUser();
            await Run("chown", ["-R", "postgres:postgres", root], asPostgres: false, cancellationToken);
            await RequireReachableByPostgres(root, cancellationToken);
        }

        if (!File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
        {
            if (Directory.Exists(dataDirectory))
                Directory.Delete(dataDirectory, recursive: true); // a half-made cluster from an interrupted initdb
            var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
            await File.WriteAllTextAsync(passwordFile, password, cancellationToken);
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            if (runAsPostgres)
                await Run("chown", ["postgres:postgres", passwordFile], asPostgres: false, cancellationToken);
            List<string> initdbArgs = ["-D", dataDirectory, "-U", SuperUser, "--auth=scram-sha-256", "--pwfile=" + passwordFile, "-E", "UTF8", "--no-locale"];
            if (!options.Durable) initdbArgs.Add("--no-sync");
            await Run(binaries.Path("initdb"), initdbArgs, runAsPostgres, cancellationToken);
        }

        var superUserPassword = (await File.ReadAllTextAsync(passwordFile, cancellationToken)).Trim();
        var running = RunningPort(dataDirectory);
        if (running is { } existingPort && await Accepts(existingPort, superUserPassword, cancellationToken))
            return new EmbeddedPostgres(binaries, options, existingPort, superUserPassword, ownsServer: false);

        for (var attempt = 1; ; attempt++)
        {
            var port = FreeLoopbackPort();
            var settings = new StringBuilder($"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={root} -c max_connections={options.MaxConnections}");
            if (!options.Durable) settings.Append(" -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
            var logFile = Path.Combine(root, "postgres.log");
            try
            {
                await Run(binaries.Path("pg_ctl"), ["start", "-D", dataDirectory, "-l", logFile, "-w", "-t", "60", "-o", settings.ToString()], runAsPostgres, cancellationToken);
                return new EmbeddedPostgres(binaries, options, port, superUserPassword, ownsServer: true);
            }
            catch (EmbeddedPostgresException) when (attempt < 3)
            {
                // Most likely another process took the port between our probe and the server's bind.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_ownsServer) return;
        await Run(_binaries.Path("pg_ctl"), ["stop", "-D", DataDirectory, "-m", "fast", "-w"], ProcessIdentity.IsRoot, CancellationToken.None);
    }

    /// <summary>Stops the server at once; for process-exit handlers, where nothing may be awaited.</summary>
    public void StopImmediately()
    {
        if (!_ownsServer) return;
        Run(_binaries.Path("pg_ctl"), ["stop", "-D", DataDirectory, "-m", "immediate", "-w"], ProcessIdentity.IsRoot, CancellationToken.None)
            .GetAwaiter().GetResult();
    }

    /// <summary>
    /// The server runs as <c>postgres</c>, which must be able to pass every folder above the data
    /// folder; a folder made by <c>mktemp -d</c> (mode 0700) stops it. Say which, rather than let
    /// initdb fail on a file it cannot open.
    /// </summary>
    private static async Task RequireReachableByPostgres(string root, CancellationToken cancellationToken)
    {
        for (var folder = new DirectoryInfo(root); folder is not null; folder = folder.Parent)
        {
            try
            {
                await Run("test", ["-x", folder.FullName], asPostgres: true, cancellationToken);
            }
            catch (EmbeddedPostgresException)
            {
                continue; // a deeper folder is the culprit only if every folder above it can be passed
            }
            if (folder.FullName == root) return;
            var blocked = new DirectoryInfo(root);
            while (blocked.Parent is { } parent && parent.FullName != folder.FullName) blocked = parent;
            throw new EmbeddedPostgresException(
                $"PostgreSQL runs as the 'postgres' user here (it refuses root), and that user cannot pass the folder '{blocked.FullName}' " +
                $"to reach the data folder '{root}'. Choose a data folder it can reach (Records:DataDirectory) or let others pass that folder ('chmod o+x').");
        }
    }

    private static int? RunningPort(string dataDirectory)
    {
        var pidFile = Path.Combine(dataDirectory, "postmaster.pid");
        if (!File.Exists(pidFile)) return null;
        // postmaster.pid: line 1 the pid, line 4 the port.
        var lines = File.ReadAllLines(pidFile);
        if (lines.Length < 4 || !int.TryParse(lines[0], out var pid) || !int.TryParse(lines[3], out var port)) return null;
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited ? null : port;
        }
        catch (ArgumentException)
        {
            return null; // stale pid file: pg_ctl start cleans it up
        }
    }

    private static async Task<bool> Accepts(int port, string password, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new Npgsql.NpgsqlConnection($"Host=127.0.0.1;Port={port};Username={SuperUser};Password={password};Database=postgres;Timeout=5");
            await connection.OpenAsync(cancellationToken);
            return true;
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or SocketException or TimeoutException)
        {
            return false;
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task Run(string file, IReadOnlyList<string> arguments, bool asPostgres, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo
        {
            FileName = asPostgres ? "runuser" : file,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asPostgres)
        {
            foreach (var a in new[] { "-u", "postgres", "--", file }) start.ArgumentList.Add(a);
        }
        foreach (var a in arguments) start.ArgumentList.Add(a);
        // The server inherits pg_ctl's standard streams: detach them so it does not hold ours open.
        start.RedirectStandardInput = true;

        using var process = Process.Start(start) ?? throw new EmbeddedPostgresException($"Could not start '{file}'.");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            var command = $"{Path.GetFileName(file)} {string.Join(' ', arguments)}";
            throw new EmbeddedPostgresException(
                $"'{command}' failed with exit code {process.ExitCode}: {(await stderr).Trim()} {(await stdout).Trim()}".Trim());
        }
    }
}

public sealed record EmbeddedPostgresOptions(string RootDirectory)
{
    /// <summary>
    /// Whether commits are flushed to disk. The product keeps PostgreSQL's defaults; test clusters
    /// turn durability off, which changes nothing a test can observe short of a power cut.
    /// </summary>
    public bool Durable { get; init; } = true;

    public int MaxConnections { get; init; } = 200;
}

public sealed class EmbeddedPostgresException(string message) : Exception(message);

/// <summary>The machine's PostgreSQL server programs (15 or later).</summary>
internal sealed class PostgresBinaries(string directory)
{
    private const int MinimumMajorVersion = 15;

    public string Directory { get; } = directory;

    public string Path(string program) => System.IO.Path.Combine(Directory, program);

    /// <summary>
    /// Looks in RECORDS_PG_BIN, then on PATH, then under /usr/lib/postgresql/*/bin (newest first).
    /// </summary>
    public static PostgresBinaries Locate() => Locate(DefaultCandidates());

    internal static PostgresBinaries Locate(IEnumerable<string> candidates)
    {
        foreach (var dir in candidates.Distinct())
        {
            var ok = new[] { "initdb", "pg_ctl", "postgres" }.All(p => File.Exists(System.IO.Path.Combine(dir, p)));
            if (ok && MajorVersion(dir) >= MinimumMajorVersion) return new PostgresBinaries(dir);
        }
        throw new EmbeddedPostgresException(
            "No PostgreSQL server binaries (initdb, pg_ctl, postgres; version 15 or later) were found in RECORDS_PG_BIN, " +
            "on PATH or under /usr/lib/postgresql/*/bin. Install them (Debian: 'apt-get install postgresql') " +
            "or configure a connection string to an existing server.");
    }

    private static List<string> DefaultCandidates()
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("RECORDS_PG_BIN") is { Length: > 0 } configured)
            candidates.Add(configured);
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var pgCtl = System.IO.Path.Combine(dir, "pg_ctl");
            if (!File.Exists(pgCtl)) continue;
            var target = new FileInfo(pgCtl).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? pgCtl;
            candidates.Add(System.IO.Path.GetDirectoryName(target)!);
        }
        if (System.IO.Directory.Exists("/usr/lib/postgresql"))
        {
            candidates.AddRange(System.IO.Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => (Dir: System.IO.Path.Combine(d, "bin"), Version: int.TryParse(System.IO.Path.GetFileName(d), out var v) ? v : 0))
                .OrderByDescending(c => c.Version)
                .Select(c => c.Dir));
        }
        return candidates;
    }

    private static int MajorVersion(string dir)
    {
        // The folder Debian uses names the version; otherwise ask the binary ("postgres (PostgreSQL) 15.18").
        var start = new ProcessStartInfo(System.IO.Path.Combine(dir, "postgres"), "--version") { RedirectStandardOutput = true };
        using var process = Process.Start(start);
        if (process is null) return 0;
        var text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var version = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";
        return int.TryParse(version.Split('.')[0], out var major) ? major : 0;
    }
}

internal static partial class ProcessIdentity
{
    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();

    public static bool IsRoot { get; } = OperatingSystem.IsLinux() && GetEffectiveUserId() == 0;

    public static void RequirePostgresUser()
    {
        var known = File.Exists("/etc/passwd") && File.ReadLines("/etc/passwd").Any(l => l.StartsWith("postgres:", StringComparison.Ordinal));
        if (!known)
            throw new EmbeddedPostgresException(
                "PostgreSQL will not run as root, and there is no 'postgres' system user to run it as. " +
                "Create one ('useradd --system postgres') or run as an ordinary user.");
    }
}
