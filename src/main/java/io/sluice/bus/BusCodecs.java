package io.sluice.bus;

import io.vertx.core.eventbus.EventBus;

/** Registers every bus message codec as the default codec of its type. */
public final class BusCodecs {
    private BusCodecs() {
    }

    public static void register(EventBus bus) {
        bus.registerDefaultCodec(ProduceRequest.class, new ProduceRequest.Codec());
        bus.registerDefaultCodec(ProduceResponse.class, new ProduceResponse.Codec());
        bus.registerDefaultCodec(FetchRequest.class, new FetchRequest.Codec());
        bus.registerDefaultCodec(FetchResponse.class, new FetchResponse.Codec());
        bus.registerDefaultCodec(OffsetsRequest.class, new OffsetsRequest.Codec());
        bus.registerDefaultCodec(OffsetsResponse.class, new OffsetsResponse.Codec());
        bus.registerDefaultCodec(LeaderEpochRequest.class, new LeaderEpochRequest.Codec());
        bus.registerDefaultCodec(LeaderEpochResponse.class, new LeaderEpochResponse.Codec());
        bus.registerDefaultCodec(BrokerHeartbeatRequest.class, new BrokerHeartbeatRequest.Codec());
        bus.registerDefaultCodec(BrokerHeartbeatResponse.class, new BrokerHeartbeatResponse.Codec());
        // One codec per record: the bus picks a default codec by the body's exact class.
        for (Class<?> c : ControllerCommand.class.getPermittedSubclasses()) {
            registerCommand(bus, c.asSubclass(ControllerCommand.class));
        }
        for (Class<?> c : ControllerReply.class.getPermittedSubclasses()) {
            registerReply(bus, c.asSubclass(ControllerReply.class));
        }
    }

    private static <T extends ControllerCommand> void registerCommand(EventBus bus, Class<T> type) {
        bus.registerDefaultCodec(type, new ControllerCommandCodec<>(type));
    }

    private static <T extends ControllerReply> void registerReply(EventBus bus, Class<T> type) {
        bus.registerDefaultCodec(type, new ControllerReplyCodec<>(type));
    }
}
