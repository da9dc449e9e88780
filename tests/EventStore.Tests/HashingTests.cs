using System.Text;
using Records.EventStore.Hashing;

namespace Records.EventStore.Tests;

public class HashingTests
{
    // GB/T 32905-2016, appendix A: the standard's two published examples.
    [Theory]
    [InlineData("abc", "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0")]
    [InlineData("abcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcd", "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732")]
    public void Sm3_matches_the_standards_test_vectors(string message, string digest) =>
        Assert.Equal(digest, Convert.ToHexStringLower(ChainAlgorithm.Sm3.Hash(Encoding.ASCII.GetBytes(message))));

    [Fact]
    public void Sha256_matches_its_standard_test_vector() =>
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            Convert.ToHexStringLower(ChainAlgorithm.Sha256.Hash("abc"u8)));

    [Theory]
    [InlineData("{ \"b\": 1, \"a\": [true, null, \"x\"] }", "{\"a\":[true,null,\"x\"],\"b\":1}")]
    [InlineData("{\"n\": 1.0, \"m\": 1e2, \"k\": -0.0, \"j\": 0.1, \"i\": 12345678901234567890}", "{\"i\":1.2345678901234567E+19,\"j\":0.1,\"k\":0,\"m\":100,\"n\":1}")]
    [InlineData("\"tab\\t quote\\\" slash\\/ \\u0001 \\u00e9 \\ud83d\\ude00\"", "\"tab\\t quote\\\" slash/ \\u0001 é 😀\"")]
    [InlineData("{\"é\":1,\"z\":2,\"Z\":3}", "{\"Z\":3,\"z\":2,\"é\":1}")]
    public void Canonical_json_sorts_keys_and_normalises_numbers_and_strings(string input, string canonical) =>
        Assert.Equal(canonical, Encoding.UTF8.GetString(CanonicalJson.Canonicalize(input)));

    [Fact]
    public void Canonical_json_is_idempotent()
    {
        var once = CanonicalJson.Canonicalize("{\"z\":[1.50, 2e-7, {\"y\":\"\\n\"}], \"a\": 9007199254740993}");
        Assert.Equal(once, CanonicalJson.Canonicalize(once));
    }

    [Fact]
    public void A_lone_surrogate_is_refused()
    {
        var error = Assert.Throws<InvalidEventDataException>(() => CanonicalJson.Canonicalize("\"\\ud800\""));
        Assert.Equal("invalid_event_data", error.Code);
    }
}
