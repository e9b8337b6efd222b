using GeoReadiness.Cli;

using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
return await CliApp.RunAsync(args, new CliContext(Console.Out, Console.Error) { ErrorIsTerminal = !Console.IsErrorRedirected }, cts.Token);
