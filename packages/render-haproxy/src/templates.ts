/**
 * haproxy.cfg of an apiserver load balancer. The view: header, version, cluster, global
 * {runtimeApi, socket}, checkInterval, frontend {port}, backend {name, balance, tls, httpCheck
 * (false: a TLS handshake only), checkPath, checkWhy, modernCheck, verify (ca-file or none),
 * clientCert (the check's PEM, when the apiserver wants one), servers [{name, address, port}]},
 * stats {address, port, auth} or noStats.
 */
export const HAPROXY_CFG = `{{{header}}}
# HAProxy {{{version}}} in front of the kube-apiservers of {{{cluster}}}

global
    log /dev/log local0
    maxconn 4096
{{#runtimeApi}}
    stats socket {{{socket}}} mode 600 level admin
{{/runtimeApi}}

defaults
    log global
    mode tcp
    option tcplog
    option dontlognull
    retries 3
    timeout connect 5s
    timeout client 1h
    timeout server 1h
    timeout check 5s

frontend kube-apiserver
    bind *:{{{frontendPort}}}
    mode tcp
    default_backend kube-apiservers

backend kube-apiservers
    mode tcp
    balance {{{balance}}}
{{#checkWhy}}
    # health check: {{{checkWhy}}}
{{/checkWhy}}
{{#httpCheck}}
{{#modernCheck}}
    option httpchk
    http-check send meth GET uri {{{checkPath}}}
    http-check expect status 200
{{/modernCheck}}
{{^modernCheck}}
    option httpchk GET {{{checkPath}}}
    http-check expect status 200
{{/modernCheck}}
{{/httpCheck}}
    default-server inter {{{checkInterval}}} fall 3 rise 2
{{#tls}}
{{^caFile}}
    # no cluster CA in the spec: the checks do not verify the apiservers' certificates
{{/caFile}}
{{/tls}}
{{#servers}}
    server {{{name}}} {{{address}}}:{{{port}}} check{{#tls}} check-ssl {{#caFile}}verify required ca-file {{{caFile}}}{{/caFile}}{{^caFile}}verify none{{/caFile}}{{#clientCert}} crt {{{clientCert}}}{{/clientCert}}{{/tls}}
{{/servers}}
{{#stats}}

listen stats
    bind {{{address}}}:{{{port}}}
    mode http
    stats enable
    stats uri /
    stats hide-version
    stats refresh 10s
    stats auth "{{{auth}}}"
{{/stats}}
{{^stats}}

# stats: off (no haproxy.stats with credentials in the spec)
{{/stats}}
`;
