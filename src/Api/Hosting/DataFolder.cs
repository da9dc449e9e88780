using System.Security.Cryptography;

namespace Records.Api.Hosting;

/// <summary>
/// The product's data folder (Records:DataDirectory, default ./.records/postgres): the embedded
/// cluster and the development secrets generated on first start. Never committed (.gitignore).
/// </summary>
public static class DataFolder
{
    public static string Path(IConfiguration configuration) =>
        configuration["Records:DataDirectory"] ?? System.IO.Path.Combine(Directory.GetCurrentDirectory(), ".records", "postgres");

    /// <summary>The secret stored in <paramref name="name"/>, made of <paramref name="bytes"/> random bytes (hex) the first time; readable by the owner only.</summary>
    public static string Secret(string folder, string name, int bytes)
    {
        var file = System.IO.Path.Combine(folder, name);
        if (File.Exists(file)) return File.ReadAllText(file).Trim();
        Directory.CreateDirectory(folder);
        var secret = Convert.ToHexString(RandomNumberGenerator.GetBytes(bytes));
        File.WriteAllText(file, secret);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return secret;
    }
}
