/** Config file formats `lint --format` accepts: a module of its own so that the CLI can define the option without loading the parsers. */
export const CONFIG_FORMATS = ['mosquitto', 'mosquitto-acl', 'mosquitto-passwd', 'mosquitto-psk', 'emqx', 'emqx-acl', 'emqx-bootstrap', 'mosquitto-dynsec', 'nanomq', 'nanomq-passwd', 'nanomq-acl'] as const;
export type ConfigFormat = (typeof CONFIG_FORMATS)[number];
