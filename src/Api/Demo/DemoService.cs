using System.Text;
using Records.Api.Identity;

namespace Records.Api.Demo;

/// <summary>
/// On start with the embedded default (unless Records:Demo:Skip is true; Records:Demo:Load=true loads
/// it into a configured database too), loads the demo hospital once, then prints where the API
/// listens and a token for each demo persona.
/// </summary>
public sealed class DemoService(DemoHospital demo, TokenIssuer tokens, IHostApplicationLifetime lifetime,
    IServiceProvider services, ILogger<DemoService> logger) : IHostedService
{
    public static bool IsEnabled(IConfiguration configuration) =>
        !configuration.GetValue("Records:Demo:Skip", false)
        && (configuration.GetValue("Records:Demo:Load", false) || string.IsNullOrEmpty(configuration.GetConnectionString("Records")));

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (await demo.IsLoadedAsync(cancellationToken))
        {
            logger.LogInformation("The demo hospital is already loaded");
        }
        else
        {
            logger.LogInformation("Loading the demo hospital through the write side");
            await demo.LoadAsync(cancellationToken);
            logger.LogInformation("The demo hospital is loaded");
        }

        lifetime.ApplicationStarted.Register(() => Console.WriteLine(Banner()));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private string Banner()
    {
        var urls = services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses ?? [];
        var text = new StringBuilder().AppendLine().AppendLine("Records is running with the demo hospital.");
        foreach (var url in urls) text.AppendLine($"  API:    {url}   (health: {url}/health, a patient's record: {url}/patients/pt-zhang/record)");
        text.AppendLine("Demo tokens (12 h; send as 'Authorization: Bearer <token>'):");
        foreach (var (actor, shows) in DemoPersonas.All)
            text.AppendLine($"  {actor.Id,-20} {RecordsClaims.RoleName(actor.Role),-15} {shows}").AppendLine($"    {tokens.Issue(actor.Id, actor.Role, actor.RealNameVerified)}");
        return text.ToString();
    }
}
