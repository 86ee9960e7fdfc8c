using EdgeFace.Cli;
using EdgeFace.Runtime.Cli;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
return new CliHost("edgeface", CommandCatalog.All()).Run(args, cancellation: cancel.Token);
