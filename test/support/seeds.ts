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
