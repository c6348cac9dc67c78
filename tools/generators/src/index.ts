// The local Nx plugin `@invsync/tools` (see ../generators.json): `npx nx g @invsync/tools:channel-plugin --name=<id>`.
export { channelPluginGenerator, type ChannelPluginOptions } from './channel-plugin/channel-plugin.generator';
