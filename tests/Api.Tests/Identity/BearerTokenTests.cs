using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.IdentityModel.Tokens;
using NodaTime;
using Records.Api.Identity;
using Records.Domain;

namespace Records.Api.Tests.Identity;

public sealed class BearerTokenTests(RecordsHostFixture host) : IClassFixture<RecordsHostFixture>
{
    private sealed record Failure(string Code, string Message);

    private sealed record Me(string Id, string Role, bool RealNameVerified);

    private sealed class FixedClock(Instant now) : IClock
    {
        public Instant GetCurrentInstant() => now;
    }

    private static readonly IdentityOptions Options = new(IdentityOptions.DefaultIssuer, IdentityOptions.DefaultAudience,
        new SymmetricSecurityKey(Encoding.UTF8.GetBytes(RecordsHostFixture.SigningKey)));

    private static string Token(IdentityOptions? options = null, IClock? clock = null, Role role = Role.Physician) =>
        new TokenIssuer(options ?? Options, clock ?? SystemClock.Instance).Issue("doctor-1", role, realNameVerified: true, "李医生");

    private async Task<HttpResponseMessage> GetMeAsync(string? token, string scheme = "Bearer")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/me");
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue(scheme, token);
        return await host.Http.SendAsync(request);
    }

    [Fact]
    public async Task A_valid_token_names_the_actor()
    {
        var response = await GetMeAsync(Token(role: Role.QualityManager));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new Me("doctor-1", "qualityManager", true), await response.Content.ReadFromJsonAsync<Me>());
    }

    [Theory]
    [InlineData("missing", "auth.missing_token")]
    [InlineData("expired", "auth.token_expired")]
    [InlineData("wrong signature", "auth.invalid_signature")]
    [InlineData("wrong audience", "auth.wrong_audience")]
    [InlineData("wrong issuer", "auth.wrong_issuer")]
    [InlineData("garbage", "auth.invalid_token")]
    [InlineData("basic scheme", "auth.not_bearer")]
    public async Task A_missing_or_bad_token_gets_401_with_a_code(string kind, string code)
    {
        var response = kind switch
        {
            "missing" => await GetMeAsync(null),
            "expired" => await GetMeAsync(Token(clock: new FixedClock(SystemClock.Instance.GetCurrentInstant() - Duration.FromDays(2)))),
            "wrong signature" => await GetMeAsync(Token(Options with { SigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(new string('x', 40))) })),
            "wrong audience" => await GetMeAsync(Token(Options with { Audience = "another-service" })),
            "wrong issuer" => await GetMeAsync(Token(Options with { Issuer = "someone-else" })),
            "garbage" => await GetMeAsync("not.a.token"),
            _ => await GetMeAsync(Token(), scheme: "Basic"),
        };

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var failure = await response.Content.ReadFromJsonAsync<Failure>();
        Assert.Equal(code, failure!.Code);
        Assert.False(string.IsNullOrWhiteSpace(failure.Message));
    }

    [Fact]
    public async Task Health_needs_no_token()
    {
        Assert.Equal(HttpStatusCode.OK, (await host.Http.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task The_token_verb_prints_a_token_the_host_accepts_and_refuses_bad_arguments()
    {
        var found = TokenCommand.Find(["--Records:DataDirectory=/tmp/x", "token", "--subject", "ph-1", "--role", "pharmacist", "--not-verified"]);
        Assert.NotNull(found);
        Assert.Equal(["--Records:DataDirectory=/tmp/x"], found.Value.Configuration);
        var output = new StringWriter();
        Assert.Equal(0, TokenCommand.Run(found.Value.Arguments, Options, output, TextWriter.Null));

        var response = await GetMeAsync(output.ToString().Trim());
        Assert.Equal(new Me("ph-1", "pharmacist", false), await response.Content.ReadFromJsonAsync<Me>());

        var error = new StringWriter();
        Assert.Equal(2, TokenCommand.Run(["--subject", "x", "--role", "ai"], Options, TextWriter.Null, error));
        Assert.Contains("usage: token", error.ToString());
        Assert.Null(TokenCommand.Find(["--urls=http://127.0.0.1:0"]));
    }
}
