import "@xyflow/react/dist/style.css";
import "./flowchart.css";
import { ActionIcon, Anchor, Box, Group, Paper, Text, Tooltip, useComputedColorScheme } from "@mantine/core";
import { IconFocusCentered, IconZoomIn, IconZoomOut } from "@tabler/icons-react";
import { useNavigate } from "@tanstack/react-router";
import {
  BaseEdge,
  EdgeLabelRenderer,
  Handle,
  MarkerType,
  Panel,
  Position,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  type Edge,
  type EdgeProps,
  type EdgeTypes,
  type Node,
  type NodeProps,
  type NodeTypes,
} from "@xyflow/react";
import { useMemo, type MouseEvent } from "react";
import { t } from "../../../i18n";
import { useShortcuts } from "../../../ui/shortcuts";
import { BOX_H, BOX_W, LABEL_W, type FlowBox, type FlowLane, type FlowLayout, type FlowLink, type LinkKind } from "./layout";

/** How each kind of path is drawn; the legend shows the same. */
export const LINK_STYLE: Record<LinkKind, { color: string; dash?: string }> = {
  intake: { color: "var(--mantine-color-gray-7)" },
  rule: { color: "var(--mantine-color-indigo-7)" },
  sla_step: { color: "var(--mantine-color-orange-9)", dash: "7 4" },
  ack_timeout: { color: "var(--mantine-color-red-9)", dash: "2 4" },
};

type LaneNode = Node<{ lane: FlowLane; height: number }, "lane">;
type BoxNode = Node<{ box: FlowBox }, "box">;
type PathEdgeType = Edge<{ link: FlowLink }, "path">;

/** Follows an in-app link with the router, leaving modified clicks (new tab) to the browser. */
function useFollow() {
  const navigate = useNavigate();
  return (href: string) => (event: MouseEvent) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    void navigate({ href });
  };
}

function LaneView({ data }: NodeProps<LaneNode>) {
  return (
    <Box
      w={data.lane.width}
      h={data.height}
      style={{ borderRadius: 8, background: "var(--mantine-color-default-hover)", border: "1px solid var(--mantine-color-default-border)", pointerEvents: "none" }}
      p="xs"
    >
      <Text fw={700} size="sm">
        {data.lane.title}
      </Text>
      {data.lane.subtitle && (
        <Text size="xs" c="dimmed">
          {data.lane.subtitle}
        </Text>
      )}
    </Box>
  );
}

function BoxView({ data }: NodeProps<BoxNode>) {
  const follow = useFollow();
  const { box } = data;
  const accent = box.kind === "team" ? "indigo" : box.kind === "sla_policy" || box.kind === "entry" ? "teal" : "grape";
  return (
    <Paper
      withBorder
      shadow="xs"
      w={BOX_W}
      mih={BOX_H}
      px="sm"
      py={6}
      style={{ borderLeft: `4px solid var(--mantine-color-${accent}-7)`, borderStyle: box.kind === "next_level" || box.kind === "role" ? "dashed" : "solid" }}
    >
      <Handle type="target" position={Position.Left} isConnectable={false} style={{ opacity: 0 }} />
      {box.href ? (
        <Anchor href={box.href} onClick={follow(box.href)} size="sm" fw={600} className="nodrag nopan">
          {box.label}
        </Anchor>
      ) : (
        <Text size="sm" fw={600}>
          {box.label}
        </Text>
      )}
      {box.sub && (
        <Text size="xs" c="dimmed">
          {box.sub}
        </Text>
      )}
      <Handle type="source" position={Position.Right} isConnectable={false} style={{ opacity: 0 }} />
    </Paper>
  );
}

// The path runs from its source to the left of its label, and on from the label's right to its target.
function PathView({ sourceX, sourceY, targetX, targetY, data, markerEnd }: EdgeProps<PathEdgeType>) {
  const follow = useFollow();
  if (!data) return null;
  const { link } = data;
  const style = LINK_STYLE[link.kind];
  const lx = link.labelX;
  const ly = link.labelY + 14;
  const rx = lx + LABEL_W;
  const into = `M ${sourceX},${sourceY} C ${sourceX + 30},${sourceY} ${lx - 30},${ly} ${lx},${ly}`;
  const out = `M ${rx},${ly} C ${rx + 90},${ly} ${targetX - 90},${targetY} ${targetX},${targetY}`;
  const stroke = { stroke: style.color, strokeWidth: 1.6, ...(style.dash ? { strokeDasharray: style.dash } : {}) };
  return (
    <>
      <BaseEdge path={into} style={stroke} />
      <BaseEdge path={out} style={stroke} {...(markerEnd ? { markerEnd } : {})} />
      <EdgeLabelRenderer>
        <Paper
          className="nodrag nopan"
          withBorder
          px={8}
          py={4}
          w={LABEL_W}
          style={{ position: "absolute", transform: `translate(${lx}px, ${link.labelY}px)`, pointerEvents: "all", borderLeft: `4px solid ${style.color}` }}
        >
          {link.href ? (
            <Anchor href={link.href} onClick={follow(link.href)} size="xs" fw={600} aria-label={t("policy.flow.openPath", { title: link.title })}>
              {link.title}
            </Anchor>
          ) : (
            <Text size="xs" fw={600}>
              {link.title}
            </Text>
          )}
          {link.timing && (
            <Text size="xs" c="dimmed">
              {link.timing}
            </Text>
          )}
          {link.detail && (
            <Text size="xs" c="dimmed" lineClamp={2} title={link.detail}>
              {link.detail}
            </Text>
          )}
        </Paper>
      </EdgeLabelRenderer>
    </>
  );
}

const nodeTypes: NodeTypes = { lane: LaneView, box: BoxView };
const edgeTypes: EdgeTypes = { path: PathView };

function Controls() {
  const flow = useReactFlow();
  const fit = () => void flow.fitView({ padding: 0.05, duration: 200 });
  useShortcuts([{ keys: "f", label: "policy.flow.shortcut.fit", run: fit }]);
  const buttons = [
    { label: t("policy.flow.zoomIn"), icon: <IconZoomIn size={18} />, run: () => void flow.zoomIn({ duration: 150 }) },
    { label: t("policy.flow.zoomOut"), icon: <IconZoomOut size={18} />, run: () => void flow.zoomOut({ duration: 150 }) },
    { label: t("policy.flow.fitView"), icon: <IconFocusCentered size={18} />, run: fit },
  ];
  return (
    <Panel position="bottom-left">
      <Paper withBorder shadow="xs" p={4} role="toolbar" aria-label={t("policy.flow.controls")}>
        <Group gap={4}>
          {buttons.map((b) => (
            <Tooltip key={b.label} label={b.label}>
              <ActionIcon variant="subtle" aria-label={b.label} onClick={b.run}>
                {b.icon}
              </ActionIcon>
            </Tooltip>
          ))}
        </Group>
      </Paper>
    </Panel>
  );
}

/** The escalation paths drawn with React Flow: lanes per level, teams in them, paths as labelled edges. */
export function FlowchartCanvas({ layout }: { layout: FlowLayout }) {
  const scheme = useComputedColorScheme("light");
  const navigate = useNavigate();
  const { nodes, edges } = useMemo(() => {
    const nodes: Node[] = [
      ...layout.lanes.map(
        (lane): LaneNode => ({
          id: lane.id,
          type: "lane",
          position: { x: lane.x, y: 0 },
          data: { lane, height: layout.height },
          draggable: false,
          selectable: false,
          focusable: false,
          zIndex: -1,
        }),
      ),
      ...layout.boxes.map((box): BoxNode => ({ id: box.id, type: "box", position: { x: box.x, y: box.y }, data: { box }, draggable: false, selectable: false })),
    ];
    const names = new Map(layout.boxes.map((b) => [b.id, b.label]));
    const edges: PathEdgeType[] = layout.links.map((link) => ({
      id: link.id,
      ariaLabel: t("policy.flow.pathTo", { title: link.title, to: names.get(link.to) ?? link.to }),
      source: link.from,
      target: link.to,
      type: "path",
      data: { link },
      markerEnd: { type: MarkerType.ArrowClosed, color: LINK_STYLE[link.kind].color, width: 18, height: 18 },
      selectable: false,
    }));
    return { nodes, edges };
  }, [layout]);

  return (
    <Box h={Math.min(Math.max(layout.height * 0.8, 420), 720)} style={{ border: "1px solid var(--mantine-color-default-border)", borderRadius: 8 }}>
      <ReactFlowProvider>
        <ReactFlow
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          edgeTypes={edgeTypes}
          colorMode={scheme}
          fitView
          fitViewOptions={{ padding: 0.05 }}
          minZoom={0.2}
          maxZoom={2}
          nodesDraggable={false}
          nodesConnectable={false}
          nodesFocusable={false}
          edgesFocusable={false}
          elementsSelectable={false}
          onEdgeClick={(_event, edge) => {
            const href = (edge.data as { link?: FlowLink } | undefined)?.link?.href;
            if (href) void navigate({ href });
          }}
        >
          <Controls />
        </ReactFlow>
      </ReactFlowProvider>
    </Box>
  );
}
