using Proxy.Engine.AccessLog;

namespace Proxy.Engine.Tests.AccessLog;

public sealed class BoundedQueueTests
{
    [Fact]
    public void Constructor_CapacityNotAPowerOfTwo_RoundsUp()
    {
        Assert.Equal(16, new BoundedQueue<object>(9).Capacity);
        Assert.Equal(2, new BoundedQueue<object>(1).Capacity);
    }

    [Fact]
    public void TryEnqueue_Full_RefusesAtOnce_AndTakesMoreOnceOneIsTaken()
    {
        var queue = new BoundedQueue<string>(4);
        for (int i = 0; i < 4; i++) Assert.True(queue.TryEnqueue("item" + i));

        Assert.False(queue.TryEnqueue("one too many"));
        Assert.True(queue.TryDequeue(out string first));
        Assert.Equal("item0", first);
        Assert.True(queue.TryEnqueue("item4"));
    }

    [Fact]
    public void TryDequeue_Empty_ReturnsFalse_AndOrderIsFirstInFirstOutAcrossManyLaps()
    {
        var queue = new BoundedQueue<string>(4);
        Assert.True(queue.IsEmpty);
        Assert.False(queue.TryDequeue(out _));

        for (int i = 0; i < 100; i++)
        {
            Assert.True(queue.TryEnqueue("a" + i));
            Assert.True(queue.TryEnqueue("b" + i));
            Assert.False(queue.IsEmpty);
            Assert.True(queue.TryDequeue(out string a));
            Assert.True(queue.TryDequeue(out string b));
            Assert.Equal(("a" + i, "b" + i), (a, b));
        }
        Assert.True(queue.IsEmpty);
    }

    [Fact]
    public async Task ConcurrentProducersAndOneConsumer_EveryAcceptedItemArrivesOnce()
    {
        var queue = new BoundedQueue<object>(64);
        const int Producers = 4, PerProducer = 50_000;
        var items = Enumerable.Range(0, Producers * PerProducer).Select(_ => new object()).ToArray();
        long accepted = 0;
        var received = new HashSet<object>(ReferenceEqualityComparer.Instance);
        bool producing = true;

        var consumer = Task.Run(() =>
        {
            while (Volatile.Read(ref producing) || !queue.IsEmpty)
            {
                while (queue.TryDequeue(out object item)) Assert.True(received.Add(item));
            }
        });
        Parallel.For(0, Producers, p =>
        {
            for (int i = 0; i < PerProducer; i++)
            {
                if (queue.TryEnqueue(items[p * PerProducer + i])) Interlocked.Increment(ref accepted);
            }
        });
        Volatile.Write(ref producing, false);
        await consumer.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(accepted, received.Count);
        Assert.True(accepted > 0);
    }
}
