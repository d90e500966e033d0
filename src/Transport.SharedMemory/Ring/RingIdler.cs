namespace XStateNet.Actors.Transport.SharedMemory.Ring;

/// <summary>
/// Waits for the next record: spins briefly (a reply often arrives within a microsecond), then yields the core,
/// then falls back to the configured <see cref="ShmIdleStrategy"/>.
/// </summary>
internal sealed class RingIdler(ShmIdleStrategy strategy, int spinIterations, int yieldIterations, int sleepTimeoutMs)
{
    /// <summary>Returns when <paramref name="reader"/> has data or <paramref name="stop"/> says so.</summary>
    public void Idle(RingReader reader, Func<bool> stop)
    {
        for (var i = 0; i < spinIterations; i++)
        {
            if (reader.HasData || stop()) return;
            Thread.SpinWait(1);
        }

        for (var i = 0; i < yieldIterations; i++)
        {
            if (reader.HasData || stop()) return;
            Thread.Yield();
        }

        while (true)
        {
            switch (strategy)
            {
                case ShmIdleStrategy.Futex:
                    reader.PrepareToSleep();
                    if (reader.HasData || stop())
                    {
                        reader.CancelSleep();
                        return;
                    }

                    reader.Sleep(sleepTimeoutMs);
                    break;
                case ShmIdleStrategy.Sleep:
                    Thread.Sleep(1);
                    break;
                default:
                    Thread.Yield();
                    break;
            }

            if (reader.HasData || stop()) return;
        }
    }
}
