/** Listeners: the HTTP listener shared by /metrics, /healthz and the status page; the control API sockets. */
import { Type } from 'typebox';
import { Block, ListenAddress, Strict } from './common.ts';
import { HttpTlsBlock, MetricsAuthBlock } from './prometheus.ts';

export const HttpBlock = Block({
  listen: ListenAddress('address of /metrics, /healthz, /readyz and the status page', '127.0.0.1:9177'),
  tls: HttpTlsBlock,
}, 'the HTTP listener');

export const ApiBlock = Block({
  socket: Type.Optional(Type.String({ description: 'read-write unix socket (root only); default <runDir>/virtmon-sock' })),
  readOnlySocket: Type.Optional(Type.String({ description: 'read-only unix socket; default <runDir>/virtmon-sock-ro' })),
  tcp: Type.Optional(Type.String({
    pattern: '^(\\[[0-9a-fA-F:.]+\\]|[A-Za-z0-9.-]+):\\d{1,5}$',
    description: 'host:port of the read-write API over TCP (off unless set; bind 127.0.0.1)',
  })),
}, 'the control API');

export const MetricsBlock = Block({
  compat: Type.Array(Type.Enum(['tinkoff', 'kumina', 'inovex1']), {
    default: [], uniqueItems: true, description: 'opt-in alias sets of other libvirt exporters',
  }),
  metadataLabels: Type.Array(Strict({
    label: Type.String({ pattern: '^[a-zA-Z_][a-zA-Z0-9_]*$', description: 'label name (not "domain")' }),
    namespace: Type.String({ description: 'XML namespace URI of the metadata element' }),
    xpath: Type.String({ description: 'element path under <metadata>, optional @attr at the end' }),
  }, 'one metadata label'), { default: [], maxItems: 10, description: 'metadata → libvirt_domain_metadata_info labels' }),
  auth: MetricsAuthBlock,
}, 'Prometheus exposition');
