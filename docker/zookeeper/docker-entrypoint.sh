#!/bin/bash
# The official zookeeper image's entrypoint, for Debian's ZooKeeper: zoo.cfg from the ZOO_* variables
# (only when none exists, so a restarted container keeps its config) and myid from ZOO_MY_ID (only when
# the data dir has none, so a server keeps its id with its data).
set -e
if [[ ! -f "$ZOO_CONF_DIR/zoo.cfg" ]]; then
  {
    echo "dataDir=$ZOO_DATA_DIR"
    echo "dataLogDir=$ZOO_DATA_LOG_DIR"
    echo "tickTime=$ZOO_TICK_TIME"
    echo "initLimit=$ZOO_INIT_LIMIT"
    echo "syncLimit=$ZOO_SYNC_LIMIT"
    echo "autopurge.snapRetainCount=$ZOO_AUTOPURGE_SNAPRETAINCOUNT"
    echo "autopurge.purgeInterval=$ZOO_AUTOPURGE_PURGEINTERVAL"
    echo "maxClientCnxns=$ZOO_MAX_CLIENT_CNXNS"
    echo "standaloneEnabled=$ZOO_STANDALONE_ENABLED"
    echo "admin.enableServer=$ZOO_ADMINSERVER_ENABLED"
    for server in ${ZOO_SERVERS:-server.1=localhost:2888:3888;2181}; do echo "$server"; done
    if [[ -n $ZOO_4LW_COMMANDS_WHITELIST ]]; then echo "4lw.commands.whitelist=$ZOO_4LW_COMMANDS_WHITELIST"; fi
    for entry in $ZOO_CFG_EXTRA; do echo "$entry"; done
  } > "$ZOO_CONF_DIR/zoo.cfg"
fi
if [[ ! -f "$ZOO_DATA_DIR/myid" ]]; then
  echo "${ZOO_MY_ID:-1}" > "$ZOO_DATA_DIR/myid"
fi
if [[ "$1" == zkServer.sh && "$2" == start-foreground ]]; then
  # Debian ships the server as jars, not zkServer.sh: the same main class on the jars zkbench's embedded
  # servers use, logging to stdout (docker logs) with ISO-8601 times, as zkbench's own servers do, so
  # `zkbench bench --compose-project` reads the servers' warnings from docker logs.
  java="$(command -v java)"
  cp=/usr/share/java/zookeeper.jar:/usr/share/java/zookeeper-jute.jar:/usr/share/java/slf4j-api.jar:/usr/share/java/slf4j-simple.jar
  main=(org.apache.zookeeper.server.quorum.QuorumPeerMain)
  if [[ "${ZKBENCH_COMMIT_WAKEUP_GUARD_MS:-0}" != 0 ]]; then
    # zkbench's launcher runs the same main class beside the ZOOKEEPER-4537 guard (see the Dockerfile).
    cp="/opt/zkbench/launcher:$cp"
    main=("-Dzkbench.commitWakeupGuardMs=$ZKBENCH_COMMIT_WAKEUP_GUARD_MS" ZkbenchServer "${main[@]}")
  fi
  # shellcheck disable=SC2086 # JVMFLAGS is a list of flags, as for zkServer.sh
  exec "$java" $JVMFLAGS -Dorg.slf4j.simpleLogger.logFile=System.out -Dorg.slf4j.simpleLogger.showDateTime=true \
    "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSSXXX" \
    -Dzookeeper.log.dir="$ZOO_LOG_DIR" -cp "$cp" "${main[@]}" "$ZOO_CONF_DIR/zoo.cfg"
fi
exec "$@"
