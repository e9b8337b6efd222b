namespace GeoReadiness.Cli;

/// <summary>Dispatches the command line to a command. Exit codes: 0 success, 1 bad input or failure, 2 usage error.</summary>
public static class CliApp
{
    public static IReadOnlyList<ICliCommand> Commands { get; } =
    [
        new Commands.ImportCommand(),
        new Commands.ValidateCommand(),
        new Commands.ExportCommand(),
        new Commands.LoadCommand(),
        new Commands.DemoGenerateCommand(),
        new Commands.IndicatorsComputeCommand(),
        new Commands.IndicatorsShowCommand(),
        new Commands.QuestionnaireImportCommand(),
        new Commands.QuestionnaireValidateCommand(),
        new Commands.QuestionnaireShowCommand(),
        new Commands.ReadinessCommand(),
        new Commands.ReadinessShowCommand(),
        new Commands.ProfilesListCommand(),
        new Commands.ProfilesAddCommand(),
        new Commands.ProfilesAddCommand(validateOnly: true),
        new Commands.ScenarioValidateCommand(),
        new Commands.ScenarioRunCommand(),
        new Commands.ScenarioCompareCommand(),
        new Commands.ModelTrainCommand(),
        new Commands.ModelEvaluateCommand(),
        new Commands.ModelListCommand(),
        new Commands.ModelShowCommand(),
        new Commands.ModelPromoteCommand(),
        new Commands.ModelExplainCommand(),
        new Commands.CohortSelectCommand(),
        new Commands.CohortShowCommand(),
        new Commands.CohortListCommand(),
    ];

    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        if (args.Length == 0 || args[0] is "help" or "--help" or "-h")
        {
            var topic = args.Length > 1 ? string.Join(' ', args.Skip(1)) : null;
            var cmd = topic is null ? null : Commands.FirstOrDefault(c => c.Name == topic);
            if (cmd is not null) context.Out.WriteLine(cmd.Usage);
            else PrintHelp(context.Out);
            return topic is not null && cmd is null ? 2 : 0;
        }

        // Longest match first, so "demo generate" wins over a hypothetical "demo".
        var command = Commands
            .OrderByDescending(c => c.Name.Split(' ').Length)
            .FirstOrDefault(c => c.Name.Split(' ').SequenceEqual(args.Take(c.Name.Split(' ').Length)));
        if (command is null)
        {
            context.Error.WriteLine($"error: unknown command '{string.Join(' ', args.Take(2))}'");
            PrintHelp(context.Error);
            return 2;
        }

        try
        {
            var parsed = CliArgs.Parse(args.Skip(command.Name.Split(' ').Length).ToArray(), command.Flags);
            return await command.RunAsync(parsed, context, cancellationToken);
        }
        catch (CliUsageException e)
        {
            context.Error.WriteLine($"error: {e.Message}");
            context.Error.WriteLine(command.Usage);
            return 2;
        }
        catch (CliInputException e)
        {
            context.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            context.Error.WriteLine("cancelled; nothing was written");
            return 130;
        }
    }

    private static void PrintHelp(TextWriter w)
    {
        w.WriteLine("georeadiness — smart-city readiness data tools");
        w.WriteLine();
        w.WriteLine("usage: georeadiness COMMAND [options]   (georeadiness help COMMAND for details)");
        w.WriteLine();
        foreach (var c in Commands) w.WriteLine($"  {c.Name,-24} {c.Summary}");
    }
}
