using System.Text;
using System.Text.Json;
using EdgeFace.Camera.Decisions;
using EdgeFace.Camera.Faces;
using EdgeFace.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EdgeFace.Camera.Server;

/// <summary>
/// The kiosk's web screen on Kestrel (minimal APIs): the kiosk page, a live MJPEG preview, status over SSE, the
/// identity claim for verify mode, and an admin page + API behind <see cref="ApiKeyGuard"/>. Binds to 127.0.0.1 by
/// default. Pages are embedded resources (plain HTML+JS, no build step). Owns the web host; dispose to stop it.
/// </summary>
public sealed class KioskServer : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly WebApplication _app;

    public KioskServer(string urls, KioskStatusBoard status, MjpegBroadcaster preview, KioskSession session,
        IIdentityMatcher matcher, ApiKeyGuard apiKey)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(urls);
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase);
        _app = builder.Build();
        var app = _app;

        app.MapGet("/", () => Page("kiosk.html"));
        app.MapGet("/admin", () => Page("admin.html"));
        app.MapGet("/api/status", () => Results.Json(status.Current, Json));
        app.MapGet("/api/identities", () => Results.Json(matcher.Identities, Json));
        app.MapPost("/api/claim", async (HttpContext http) =>
        {
            var body = await ReadBody<ClaimRequest>(http);
            if (body is null) return Results.BadRequest(new { error = "expected JSON {\"identity\": NAME}" });
            if (session.Mode != KioskMode.Verify) return Results.Conflict(new { error = "claims are only used in verify mode" });
            if (body.Identity is not null && !matcher.Identities.Contains(body.Identity))
                return Results.NotFound(new { error = $"'{body.Identity}' is not enrolled" });
            session.Claim(body.Identity);
            status.Bump();
            return Results.Ok(new { claimed = session.ClaimedIdentity });
        });
        app.MapGet("/stream.mjpg", (HttpContext http) => StreamMjpeg(http, preview));
        app.MapGet("/events", (HttpContext http) => StreamEvents(http, status));

        var admin = app.MapGroup("/api/admin").AddEndpointFilter(async (ctx, next) =>
        {
            if (!apiKey.Enabled) return Results.Json(new { error = $"admin API disabled: set {ApiKeyGuard.EnvironmentVariable} or --api-key-file" }, Json, statusCode: 503);
            return apiKey.Accepts(ctx.HttpContext.Request.Headers[ApiKeyGuard.Header].FirstOrDefault()) ? await next(ctx)
                : Results.Json(new { error = "missing or wrong X-Api-Key" }, Json, statusCode: 401);
        });
        admin.MapGet("/identities", () => Results.Json(matcher.Identities, Json));
        admin.MapPost("/enrol", async (HttpContext http) =>
        {
            var body = await ReadBody<EnrolRequest>(http);
            if (body?.Name is null) return Results.BadRequest(new { error = "expected JSON {\"name\": NAME}" });
            if (session.Mode != KioskMode.Enrol) return Results.Conflict(new { error = "the kiosk is not in enrol mode (start it with --mode enrol)" });
            try { session.RequestEnrolment(body.Name); }
            catch (EdgeFaceException e) { return Results.BadRequest(new { error = e.Message }); }
            status.Bump();
            return Results.Accepted(value: new { pending = session.PendingEnrolment });
        });
        admin.MapDelete("/identities/{name}", (string name) =>
            matcher.Remove(name) ? Results.Ok(new { removed = name }) : Results.NotFound(new { error = $"'{name}' is not enrolled" }));
        admin.MapGet("/status", () => Results.Json(new { status.Current, pendingEnrolment = session.PendingEnrolment }, Json));
    }

    /// <summary>The addresses Kestrel actually listens on (useful with port 0).</summary>
    public IReadOnlyCollection<string> Addresses =>
        _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToArray() ?? [];

    public async Task StartAsync()
    {
        try { await _app.StartAsync(); }
        catch (IOException e) { throw new EdgeFaceException($"cannot start the kiosk web server: {e.Message}", e); }
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        try { await _app.StopAsync(timeout.Token); } catch (OperationCanceledException) { }
        await _app.DisposeAsync();
    }

    private sealed record ClaimRequest(string? Identity);
    private sealed record EnrolRequest(string? Name);

    private static async Task<T?> ReadBody<T>(HttpContext http) where T : class
    {
        try { return await JsonSerializer.DeserializeAsync<T>(http.Request.Body, Json, http.RequestAborted); }
        catch (JsonException) { return null; }
    }

    private static IResult Page(string name)
    {
        var stream = typeof(KioskServer).Assembly.GetManifestResourceStream($"EdgeFace.Camera.Server.wwwroot.{name}")
            ?? throw new InvalidOperationException($"embedded page {name} missing from the build");
        return Results.Stream(stream, "text/html; charset=utf-8");
    }

    private static async Task StreamMjpeg(HttpContext http, MjpegBroadcaster preview)
    {
        const string boundary = "edgefaceframe";
        http.Response.ContentType = $"multipart/x-mixed-replace; boundary={boundary}";
        http.Response.Headers.CacheControl = "no-store";
        using var viewer = preview.Watch();
        var token = http.RequestAborted;
        long seen = -1;
        try
        {
            while (!token.IsCancellationRequested)
            {
                var (jpeg, version) = await preview.NextAsync(seen, token);
                seen = version;
                var header = Encoding.ASCII.GetBytes($"--{boundary}\r\nContent-Type: image/jpeg\r\nContent-Length: {jpeg.Length}\r\n\r\n");
                await http.Response.Body.WriteAsync(header, token);
                await http.Response.Body.WriteAsync(jpeg, token);
                await http.Response.Body.WriteAsync("\r\n"u8.ToArray(), token);
                await http.Response.Body.FlushAsync(token);
            }
        }
        catch (OperationCanceledException) { }
        catch (IOException) { } // viewer went away
    }

    private static async Task StreamEvents(HttpContext http, KioskStatusBoard status)
    {
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-store";
        var token = http.RequestAborted;
        long sent = -1;
        try
        {
            while (!token.IsCancellationRequested)
            {
                var current = status.Current;
                if (current.Version != sent)
                {
                    sent = current.Version;
                    await http.Response.WriteAsync($"data: {JsonSerializer.Serialize(current, Json)}\n\n", token);
                    await http.Response.Body.FlushAsync(token);
                }
                // Heartbeat every 15 s keeps proxies from closing an idle stream.
                await status.WaitForChangeAsync(sent, TimeSpan.FromSeconds(15), token);
                if (status.Current.Version == sent) await http.Response.WriteAsync(": keep-alive\n\n", token);
            }
        }
        catch (OperationCanceledException) { }
        catch (IOException) { }
    }
}
