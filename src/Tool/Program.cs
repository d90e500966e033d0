using XStateNet.Actors.Tool;

return await XStateNetTool.RunAsync(args, Console.Out, Console.Error);
