using System.CommandLine;

namespace Proxy.Host;

/// <summary>The command line: run, check, demo (also what a bare `proxy` does), --version, --help.</summary>
internal static class Cli
{
    public static RootCommand Build()
    {
        var root = new RootCommand("A reverse proxy and load balancer for HTTP/1.1. Without a command: `proxy demo`.");

        var configOption = new Option<FileInfo>("--config", "-c")
        {
            Description = "The TOML configuration file to run",
            Required = true,
        };
        var run = new Command("run", "Run the proxy with a configuration file until SIGINT or SIGTERM, then drain and exit 0.")
        {
            configOption,
        };
        run.SetAction((parse, _) => RunCommand.ExecuteAsync(parse.GetValue(configOption)!));

        var fileArgument = new Argument<FileInfo>("file") { Description = "The TOML configuration file to check" };
        var check = new Command("check", "Validate a configuration file: exit 0 when it is valid, else list every error and exit 1.")
        {
            fileArgument,
        };
        check.SetAction(parse => CheckCommand.Execute(parse.GetValue(fileArgument)!));

        var portOption = new Option<int>("--port")
        {
            Description = "Port of the demo's proxy listener (0: pick free ports for everything)",
            DefaultValueFactory = _ => DemoCommand.DefaultPort,
        };
        var demo = new Command("demo", "Start two built-in origin servers and the proxy in front of them, on the embedded default configuration.")
        {
            portOption,
        };
        demo.SetAction((parse, _) => DemoCommand.ExecuteAsync(parse.GetValue(portOption)));

        root.Subcommands.Add(run);
        root.Subcommands.Add(check);
        root.Subcommands.Add(demo);
        root.SetAction((_, _) => DemoCommand.ExecuteAsync(DemoCommand.DefaultPort));
        return root;
    }
}
