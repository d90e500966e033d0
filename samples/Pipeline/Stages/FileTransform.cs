using System.Security.Cryptography;
using System.Text;

namespace XStateNet.Actors.Samples.Pipeline.Stages;

/// <summary>
/// The pipeline's work on one file, apart from moving it: hash the bytes, decode them as strict UTF-8, normalise the
/// text. The stages call these, and so does the one-thread baseline, so both do exactly the same work.
/// </summary>
internal static class FileTransform
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The content hash storage keys a file by (with its path): SHA-256, lower-case hex.</summary>
    public static string Hash(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>The text, or why the bytes are not UTF-8.</summary>
    public static bool TryDecode(byte[] data, out string text, out string problem)
    {
        try
        {
            text = StrictUtf8.GetString(data);
            problem = "";
            return true;
        }
        catch (DecoderFallbackException e)
        {
            text = "";
            problem = $"not valid UTF-8 (bad byte at offset {e.Index})";
            return false;
        }
    }

    /// <summary>Line endings unified, trailing blanks trimmed; lines and words counted on the way.</summary>
    public static Transformed Normalise(string text)
    {
        var builder = new StringBuilder(text.Length);
        int lines = 0, words = 0;
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            var trimmed = line.TrimEnd();
            if (lines > 0) builder.Append('\n');
            builder.Append(trimmed);
            lines++;
            var inWord = false;
            foreach (var c in trimmed)
            {
                var letter = !char.IsWhiteSpace(c);
                if (letter && !inWord) words++;
                inWord = letter;
            }
        }
        return new Transformed(builder.ToString(), lines, words);
    }

    internal readonly record struct Transformed(string Text, int Lines, int Words);
}
