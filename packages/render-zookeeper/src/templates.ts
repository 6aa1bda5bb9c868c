/** systemd unit of a ZooKeeper member (Debian's zookeeperd ships a SysV init script, no unit). */
export const ZOOKEEPER_UNIT = `{{{header}}}
[Unit]
Description={{{description}}}
Documentation=https://zookeeper.apache.org/doc/
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
User=zookeeper
Group=zookeeper
ExecStart={{{command}}}
Restart=on-failure
RestartSec=5
LimitNOFILE=65536

[Install]
WantedBy=multi-user.target
`;
