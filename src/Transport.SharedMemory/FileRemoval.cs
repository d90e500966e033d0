namespace XStateNet.Actors.Transport.SharedMemory;

/// <summary>Best-effort removal of the transport's own files: a file already gone, or not ours to remove, is no error.</summary>
internal static class FileRemoval
{
    public static bool TryDelete(string path)
    {
        try
        {
            if (!File.Exists(path)) return false;
            File.Delete(path);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
