using EdgeFace.Runtime.Cli;
using EdgeFace.Trainer.Cli;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
return new CliHost("edgeface-train", TrainerCommandCatalog.All()).Run(args, cancellation: cancel.Token);
