/**
 * systemd unit of an etcd member. It replaces Debian's etcd.service, which sets ETCD_NAME=%H and
 * ETCD_DATA_DIR itself; here every option comes from the one env file, none from flags.
 */
export const ETCD_UNIT = `{{{header}}}
[Unit]
Description={{{description}}}
Documentation=https://etcd.io/docs
After=network-online.target
Wants=network-online.target

[Service]
Type=notify
User=etcd
EnvironmentFile={{{envFile}}}
ExecStart=/usr/bin/etcd
Restart=on-failure
RestartSec=5
LimitNOFILE=65536

[Install]
WantedBy=multi-user.target
`;
