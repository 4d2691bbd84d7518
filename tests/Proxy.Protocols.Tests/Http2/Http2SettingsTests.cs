using Proxy.Protocols.Http2;

namespace Proxy.Protocols.Tests.Http2;

public class Http2SettingsTests
{
    [Fact]
    public void Default_RfcInitialValues()
    {
        Http2Settings settings = Http2Settings.Default;

        Assert.Equal(4096u, settings.HeaderTableSize);
        Assert.True(settings.EnablePush);
        Assert.Equal(uint.MaxValue, settings.MaxConcurrentStreams);
        Assert.Equal(65_535, settings.InitialWindowSize);
        Assert.Equal(16_384, settings.MaxFrameSize);
        Assert.Equal(uint.MaxValue, settings.MaxHeaderListSize);
        Assert.False(settings.EnableConnectProtocol);
    }

    [Fact]
    public void Apply_SettingsInOrder_LastValueWinsAndUnknownIgnored()
    {
        Http2Settings settings = Http2Settings.Default;

        settings.Apply(new(Http2SettingId.InitialWindowSize, 1000));
        settings.Apply(new(Http2SettingId.InitialWindowSize, 2000));
        settings.Apply(new((Http2SettingId)0xabcd, 1));
        settings.Apply(new(Http2SettingId.EnablePush, 0));
        settings.Apply(new(Http2SettingId.MaxFrameSize, 1 << 20));
        settings.Apply(new(Http2SettingId.EnableConnectProtocol, 1));

        Assert.Equal(2000, settings.InitialWindowSize);
        Assert.False(settings.EnablePush);
        Assert.Equal(1 << 20, settings.MaxFrameSize);
        Assert.True(settings.EnableConnectProtocol);
    }

    [Fact]
    public void Apply_InvalidValue_ThrowsConnectionErrorAndLeavesSettings()
    {
        Http2Settings settings = Http2Settings.Default;

        Http2RejectException e = Assert.Throws<Http2RejectException>(() => settings.Apply(new(Http2SettingId.InitialWindowSize, 1u << 31)));

        Assert.Equal(Http2RejectReason.SettingsInitialWindowSizeTooLarge, e.Reason);
        Assert.Equal(Http2ErrorCode.FlowControlError, e.ErrorCode);
        Assert.Equal(Http2ErrorScope.Connection, e.Scope);
        Assert.Equal(65_535, settings.InitialWindowSize);
    }
}
