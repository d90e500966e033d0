namespace XStateNet.Actors.Samples.Pipeline;

/// <summary>A mistake in the command line or the files it names: reported in one line, exit code 2.</summary>
internal sealed class PipelineUsageException(string message) : Exception(message);
