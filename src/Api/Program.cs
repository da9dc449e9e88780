using Records.Api.Hosting;
using Records.Api.Identity;

// `token …` prints a development token; anything else runs the product.
if (TokenCommand.Find(args) is var (settings, arguments))
{
    var configuration = new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
        .AddEnvironmentVariables()
        .AddCommandLine(settings)
        .Build();
    return TokenCommand.Run(arguments, IdentityOptions.From(configuration), Console.Out, Console.Error);
}

await using var host = await RecordsHost.BuildAsync(args);
await host.App.RunAsync();
return 0;
