using System.Globalization;
using Records.Api.Feeds;
using Records.Domain;
using Records.GraphQL;
using Records.GraphQL.Types;

namespace Records.Api.Schema;

/// <summary>
/// Webhooks for integrators and administrators: register an endpoint with a filter within the caller's grant (the
/// signing secret is shown once), pause, resume, replay from a position; list them, their recorded deliveries and
/// dead letters. An integrator sees and changes only its own; an administrator all.
/// </summary>
public static class WebhookFeedFields
{
    public sealed record RegisterWebhookInput(string Endpoint, IReadOnlyList<string> EventTypes, IReadOnlyList<string>? Institutions, string? After, int? MaxBatch);

    public static void AddQueries(FieldsBuilder query, WebhookTypes webhooks) => query
        .Field("webhooks", webhooks.Subscription.NonNull().List().NonNull(), async ctx =>
            {
                var (actor, _) = await FeedTypes.CallerAsync(ctx);
                return await ctx.Service<WebhookRegistry>().ListAsync(actor.Role == Role.Integrator ? actor.Id : null, ctx.CancellationToken);
            },
            description: "The caller's webhook subscriptions (an administrator: everyone's).")
        .Field("webhookDeliveries", webhooks.Delivery.NonNull().List().NonNull(), async ctx =>
            {
                var subscription = await OwnedAsync(ctx);
                var last = ctx.Argument<int?>("last") ?? 50;
                if (last is < 1 or > 1000) throw new GraphQLError($"'last' must be from 1 to 1000, not {last}.", "feeds.invalid_limit");
                var deliveries = await ctx.Service<WebhookRegistry>().DeliveriesAsync(subscription.Id, ctx.CancellationToken);
                return deliveries.Skip(Math.Max(0, deliveries.Count - last)).ToList();
            },
            [new("webhookId", ScalarType.ID.NonNull()), new("last", ScalarType.Int) { DefaultValue = 50 }],
            description: "The last delivery attempts of a webhook, oldest first.")
        .Field("webhookDeadLetters", webhooks.DeadLetter.NonNull().List().NonNull(), async ctx =>
                await ctx.Service<WebhookRegistry>().DeadLettersAsync((await OwnedAsync(ctx)).Id, ctx.CancellationToken),
            [new("webhookId", ScalarType.ID.NonNull())],
            description: "The events a webhook gave up on after its attempts; replay from before one to deliver it again.");

    public static void AddMutations(FieldsBuilder mutation, WebhookTypes webhooks)
    {
        var registerInput = new InputObjectType("RegisterWebhookInput", f => f
            .Field("endpoint", ScalarType.String.NonNull())
            .Field("eventTypes", ScalarType.String.NonNull().List().NonNull())
            .Field("institutions", ScalarType.String.NonNull().List())
            .Field("after", ScalarType.String, description: "Deliver the events after this global sequence number; default: the events to come.")
            .Field("maxBatch", ScalarType.Int, description:
                $"Events a request carries at most, 1 to {WebhookRegistry.MaxBatchLimit}. 1 (the default): one CloudEvent a request (application/cloudevents+json). "
                + "More: the events waiting, as a CloudEvents JSON batch (application/cloudevents-batch+json); in-order delivery waits for each answer, so a busy feed keeps up only in batches."));
        var webhookId = new InputValueDefinition("webhookId", ScalarType.ID.NonNull());
        mutation
            .Field("registerWebhook", webhooks.Registration.NonNull(), async ctx =>
                {
                    var (actor, grant) = await FeedTypes.CallerAsync(ctx);
                    var input = ctx.Argument<RegisterWebhookInput>("input")!;
                    var scope = await FeedTypes.NarrowAsync(ctx, actor, grant, input.EventTypes, input.Institutions);
                    if (!Uri.TryCreate(input.Endpoint, UriKind.Absolute, out var endpoint))
                        throw new GraphQLError($"The endpoint must be an absolute http or https URL, not '{input.Endpoint}'.", "feeds.invalid_endpoint");
                    var after = input.After is { } text ? FeedTypes.ParseSequence(text, "after") : (long?)null;
                    try
                    {
                        var (subscription, secret) = await ctx.Service<WebhookRegistry>().RegisterAsync(actor.Id, endpoint, scope, after, input.MaxBatch ?? 1, ctx.CancellationToken);
                        return new { webhook = subscription, secret };
                    }
                    catch (FeedException e)
                    {
                        throw FeedTypes.ErrorOf(e);
                    }
                },
                [new("input", registerInput.NonNull())],
                description: "Registers an endpoint for the granted events that match; the answer holds the signing secret, shown this once.")
            .Field("pauseWebhook", webhooks.Subscription.NonNull(), ctx => ChangeAsync(ctx, (registry, id, ct) => registry.PauseAsync(id, ct)),
                [webhookId], description: "Stops delivery; the position is kept.")
            .Field("resumeWebhook", webhooks.Subscription.NonNull(), ctx => ChangeAsync(ctx, (registry, id, ct) => registry.ResumeAsync(id, ct)),
                [webhookId], description: "Delivers again from the kept position, at once.")
            .Field("replayWebhook", webhooks.Subscription.NonNull(), ctx =>
                {
                    var after = FeedTypes.ParseSequence(ctx.Argument<string>("after")!, "after");
                    return ChangeAsync(ctx, (registry, id, ct) => registry.ReplayFromAsync(id, after, ct));
                },
                [webhookId, new("after", ScalarType.String.NonNull())],
                description: "Delivers every granted event after `after` again (receivers dedupe by webhook-id), dead letters included.");
    }

    private static async ValueTask<object?> ChangeAsync(ResolveContext ctx, Func<WebhookRegistry, Guid, CancellationToken, Task> change)
    {
        var subscription = await OwnedAsync(ctx);
        var registry = ctx.Service<WebhookRegistry>();
        await change(registry, subscription.Id, ctx.CancellationToken);
        return await registry.GetAsync(subscription.Id, ctx.CancellationToken);
    }

    /// <summary>The webhook named by <c>webhookId</c> if the caller may see it; another integrator's is as unknown as a missing one.</summary>
    private static async Task<WebhookSubscription> OwnedAsync(ResolveContext ctx)
    {
        var (actor, _) = await FeedTypes.CallerAsync(ctx);
        var text = ctx.Argument<string>("webhookId")!;
        var subscription = Guid.TryParse(text, out var id) ? await ctx.Service<WebhookRegistry>().GetAsync(id, ctx.CancellationToken) : null;
        return subscription is not null && (actor.Role == Role.Administrator || subscription.IntegratorId == actor.Id)
            ? subscription
            : throw await FeedTypes.RefuseAsync(ctx, actor, "feeds.unknown_webhook", $"There is no webhook {text} of yours.");
    }
}

/// <summary>The webhook types of the records schema.</summary>
public sealed class WebhookTypes
{
    public WebhookTypes()
    {
        Subscription = new ObjectType("WebhookSubscription", t => t
            .Field("id", ScalarType.ID.NonNull(), ctx => Of(ctx).Id.ToString())
            .Field("integratorId", ScalarType.String.NonNull())
            .Field("endpoint", ScalarType.String.NonNull())
            .Field("eventTypes", ScalarType.String.NonNull().List().NonNull(), ctx => Of(ctx).Scope.EventTypes)
            .Field("institutions", ScalarType.String.NonNull().List().NonNull(), ctx => Of(ctx).Scope.Institutions)
            .Field("clearIdentifiers", ScalarType.Boolean.NonNull(), ctx => Of(ctx).Scope.ClearIdentifiers)
            .Field("status", ScalarType.String.NonNull(), description: "active or paused")
            .Field("position", ScalarType.String.NonNull(), ctx => Text(Of(ctx).Position), description: "The last global sequence number done with.")
            .Field("attempts", ScalarType.Int.NonNull(), description: "Failed attempts at the event after the position.")
            .Field("maxBatch", ScalarType.Int.NonNull(), description: "Events a request carries at most (1: one CloudEvent a request; more: CloudEvents JSON batches)."),
            description: "An integrator's endpoint, its filter and where delivery stands.");
        Registration = new ObjectType("WebhookRegistration", t => t
            .Field("webhook", Subscription.NonNull())
            .Field("secret", ScalarType.String.NonNull(), description: "The HMAC-SHA256 key of the webhook-signature header; shown only now."));
        Delivery = new ObjectType("WebhookDelivery", t => t
            .Field("sequence", ScalarType.String.NonNull(), ctx => Text(((WebhookDelivery)ctx.Source!).Sequence))
            .Field("eventId", ScalarType.ID.NonNull(), ctx => ((WebhookDelivery)ctx.Source!).EventId.ToString())
            .Field("attempt", ScalarType.Int.NonNull())
            .Field("delivered", ScalarType.Boolean.NonNull())
            .Field("statusCode", ScalarType.Int)
            .Field("error", ScalarType.String));
        DeadLetter = new ObjectType("WebhookDeadLetter", t => t
            .Field("sequence", ScalarType.String.NonNull(), ctx => Text(((DeadLetter)ctx.Source!).Sequence))
            .Field("eventId", ScalarType.ID.NonNull(), ctx => ((DeadLetter)ctx.Source!).EventId.ToString())
            .Field("attempts", ScalarType.Int.NonNull())
            .Field("lastError", ScalarType.String.NonNull()));
    }

    public ObjectType Subscription { get; }

    public ObjectType Registration { get; }

    public ObjectType Delivery { get; }

    public ObjectType DeadLetter { get; }

    private static WebhookSubscription Of(ResolveContext ctx) => (WebhookSubscription)ctx.Source!;

    private static string Text(long sequence) => sequence.ToString(CultureInfo.InvariantCulture);
}
