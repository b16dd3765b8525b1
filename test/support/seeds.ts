/**
 * The seed figures (shared/reference/seed-*.svg) in wiregram's language: one copy for every test that draws
 * them (bench/lib.mjs keeps its own, since tests never import bench code).
 */
export const SEED_HANDSHAKE = `title TCP 三次握手
participant client as 客户端
participant server as 服务端
isn client=x server=y
client -> server: SYN
server -> client: SYN, ACK
client -> server: ACK
`;

export const SEED_WAVEHAND = `title TCP 四次挥手
participant client as 客户端
participant server as 服务端
state client=ESTABLISHED server=ESTABLISHED
seq client=u server=v
client -> server: FIN, ACK
server -> client: ACK
server -> client: FIN, ACK
client -> server: ACK
`;

/**
 * A textbook transfer (the stream graphs' simulated case, issue 17): a window of five segments, the second lost,
 * three duplicate ACKs, a fast retransmission; then a zero window and its update.
 */
export const FAST_RETRANSMIT = `
title 快速重传 (fast retransmit)
participant client as 客户端
participant server as 服务端
client -> server: SYN
server -> client: SYN, ACK
client -> server: ACK
client -> server: ACK len=1000
& client -x server: ACK len=1000
& client -> server: ACK len=1000
& client -> server: ACK len=1000
& client -> server: ACK len=1000
server -> client: ACK
server -> client: ACK
server -> client: ACK
server -> client: ACK
client -> server: ACK len=1000
server -> client: ACK win=0
server -> client: ACK
`;
