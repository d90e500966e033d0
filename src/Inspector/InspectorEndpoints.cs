using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace XStateNet.Actors.Inspection;

/// <summary>
/// The inspector's few routes, all read-only. Before any of them: the Host must be the loopback address the
/// server listens on (a page on another site cannot reach it through a DNS name pointing at 127.0.0.1), the method
/// must be GET, and the query must carry the token. The page's own files hold no data but need the token too,
/// so nothing at all answers without it.
/// </summary>
internal sealed class InspectorEndpoints(
    string token,
    Func<CancellationToken, Task<IReadOnlyList<InspectedMachine>>> collect,
    Func<TransportView> transports,
    ChangeSignal changes,
    CancellationToken stopping)
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Coalesce = TimeSpan.FromMilliseconds(50);

    private static readonly string Html = Resource("inspector.html");
    private static readonly string Script = Resource("inspector.js");
    private static readonly string Styles = Resource("inspector.css");

    private readonly byte[] _token = Encoding.UTF8.GetBytes(token);

    /// <summary>The port Kestrel listens on, once started; the only one a Host header may name.</summary>
    public int Port { get; set; }

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        response.Headers.CacheControl = "no-store";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.XFrameOptions = "DENY";
        response.Headers["Referrer-Policy"] = "no-referrer"; // the token is in the URL: never pass it on
        response.Headers.ContentSecurityPolicy =
            "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:";

        if (!IsOwnHost(request.Host))
        {
            await Refuse(response, StatusCodes.Status421MisdirectedRequest, "this inspector answers on 127.0.0.1 only");
            return;
        }
        if (!HttpMethods.IsGet(request.Method))
        {
            response.Headers.Allow = "GET";
            await Refuse(response, StatusCodes.Status405MethodNotAllowed, "the inspector is read-only: GET only");
            return;
        }
        if (!HasToken(request.Query["token"]))
        {
            await Refuse(response, StatusCodes.Status401Unauthorized, "token missing or wrong: open the URL the node logged when the inspector started");
            return;
        }

        switch (request.Path.Value)
        {
            case "/":
                await Send(response, "text/html; charset=utf-8", Html.Replace("{{TOKEN}}", token, StringComparison.Ordinal));
                break;
            case "/inspector.js":
                await Send(response, "text/javascript; charset=utf-8", Script);
                break;
            case "/inspector.css":
                await Send(response, "text/css; charset=utf-8", Styles);
                break;
            case "/api/machines":
                var machines = await collect(context.RequestAborted);
                response.ContentType = "application/json";
                await response.Body.WriteAsync(InspectorJson.Machines(machines, transports()), context.RequestAborted);
                break;
            case "/api/changes":
                await StreamChangesAsync(context);
                break;
            default:
                await Refuse(response, StatusCodes.Status404NotFound, "not found");
                break;
        }
    }

    /// <summary>Server-sent events: <c>changed</c> whenever a machine may have changed, a comment now and then to keep the line open.</summary>
    private async Task StreamChangesAsync(HttpContext context)
    {
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        var response = context.Response;
        response.ContentType = "text/event-stream";
        try
        {
            await response.WriteAsync("retry: 2000\n\n", ending.Token);
            await response.Body.FlushAsync(ending.Token);
            for (var version = 1L; ; version++)
            {
                var changed = await changes.WaitAsync(KeepAlive, ending.Token);
                if (changed) await Task.Delay(Coalesce, ending.Token); // one refresh for a burst of steps
                await response.WriteAsync(changed ? $"event: changed\ndata: {version}\n\n" : ": keep-alive\n\n", ending.Token);
                await response.Body.FlushAsync(ending.Token);
            }
        }
        catch (OperationCanceledException) when (ending.IsCancellationRequested)
        {
            // the page went away or the inspector stops
        }
    }

    private bool IsOwnHost(HostString host) =>
        host.Port == Port && host.Host is "127.0.0.1" or "localhost";

    private bool HasToken(string? given) =>
        given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), _token);

    private static Task Send(HttpResponse response, string contentType, string body)
    {
        response.ContentType = contentType;
        return response.WriteAsync(body);
    }

    private static Task Refuse(HttpResponse response, int status, string message)
    {
        response.StatusCode = status;
        return Send(response, "text/plain; charset=utf-8", message + "\n");
    }

    private static string Resource(string name)
    {
        using var stream = typeof(InspectorEndpoints).Assembly.GetManifestResourceStream($"XStateNet.Actors.Inspector.Page.{name}")
            ?? throw new InvalidOperationException($"the inspector's page file '{name}' is missing from its assembly");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
