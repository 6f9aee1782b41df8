/**
 * The plain data of the neuron diagram ({@linkcode NetworkGeometry}): what `networkGeometry`
 * (lib/describe) computes and `renderNetworkSVG` draws. Types only: the renderer owns the
 * shape of the data it draws.
 *
 * @module
 */

/** Where a column sits in the network, which decides its colour and neuron labels. */
export type ColumnRole = "input" | "hidden" | "output";

/** How a column is linked to the previous one. */
export type Connection = "none" | "dense" | "oneToOne";

/** One column of the diagram: one layer (or the input Sequential models do not list). */
export interface NetworkColumn {
  /** Position from the left, from 0. */
  index: number;
  /** Layer name. */
  name: string;
  /** Layer class, e.g. `Dense`, `Dropout`, `InputLayer`. */
  className: string;
  /** Activation name of a layer with neurons, else `null`. */
  activation: string | null;
  /** Input, hidden or output column. */
  role: ColumnRole;
  /** True for layers after the input without neurons (Dropout and the like): drawn red. */
  neuronless: boolean;
  /** Circles the layer stands for (its output size, as in the article). */
  size: number;
  /** Circles actually drawn (at most `maxNeurons`). */
  drawn: number;
  /** Circles left out of a collapsed column (`size - drawn`). */
  hidden: number;
  /** How the column is linked to the previous one. */
  connection: Connection;
  /** Horizontal position of the column's centre. */
  x: number;
  /** Colour of the column's circles. */
  fill: string;
  /** Colour of the column's description text. */
  textColor: string;
}

/** One neuron circle. */
export interface NeuronCircle {
  /** Column index. */
  column: number;
  /** Neuron index inside its layer, from 0 (collapsed columns skip the middle ones). */
  neuron: number;
  /** Centre. */
  x: number;
  /** Centre. */
  y: number;
  /** Radius. */
  r: number;
  /** Fill colour. */
  fill: string;
  /** Label: `X1`.. for inputs, `H1`.. for hidden neurons, `y1`.. for outputs. */
  label: string;
  /** Anchor point of the label. */
  labelX: number;
  /** Anchor point of the label (text baseline). */
  labelY: number;
  /** SVG `text-anchor` of the label. */
  labelAnchor: "start" | "end";
  /** Label font size. */
  labelSize: number;
}

/** One link between two drawn neurons of neighbouring columns. */
export interface NetworkLink {
  /** Column the link starts from. */
  fromColumn: number;
  /** Neuron index in the start column. */
  fromNeuron: number;
  /** Column the link ends in (the layer whose weight it is). */
  toColumn: number;
  /** Neuron index in the end column. */
  toNeuron: number;
  /** Start point. */
  x1: number;
  /** Start point. */
  y1: number;
  /** End point. */
  x2: number;
  /** End point. */
  y2: number;
  /** Stroke colour. */
  color: string;
  /** Stroke width. */
  width: number;
  /** Stroke opacity. */
  opacity: number;
  /** The weight drawn, with `weights: true` on a layer that has one, else `null`. */
  weight: number | null;
}

/** One line of text. */
export interface TextLine {
  /** The text, unescaped. */
  text: string;
  /** Anchor point. */
  x: number;
  /** Baseline. */
  y: number;
  /** Fill colour. */
  color: string;
  /** SVG `text-anchor`. */
  anchor: "start" | "middle" | "end";
  /** Font size. */
  size: number;
  /** Column the text describes, or `null`. */
  column: number | null;
}

/** The marker of a collapsed column: a vertical ellipsis and a `+N` label. */
export interface CollapsedMarker {
  /** Column index. */
  column: number;
  /** Centre of the ellipsis. */
  x: number;
  /** Centre of the ellipsis. */
  y: number;
  /** Neurons not drawn. */
  hidden: number;
  /** `+N`. */
  label: string;
  /** Anchor (start) of the `+N` label. */
  labelX: number;
  /** Font size of the ellipsis and label. */
  size: number;
}

/** One sample line of the weights legend. */
export interface LegendItem {
  /** What the sample stands for. */
  label: string;
  /** Sample line start. */
  x1: number;
  /** Sample line y. */
  y: number;
  /** Sample line end. */
  x2: number;
  /** Stroke colour. */
  color: string;
  /** Stroke width. */
  width: number;
  /** Stroke opacity. */
  opacity: number;
}

/** The legend shown with `weights: true`. */
export interface NetworkLegend {
  /** Sample lines. */
  items: LegendItem[];
  /** A note on how magnitude is drawn. */
  note: TextLine;
  /** Largest absolute weight among the drawn links (the one drawn widest). */
  maxAbsWeight: number;
}

/** Everything the diagram shows, as plain data. */
export interface NetworkGeometry {
  /** Model name. */
  name: string;
  /** Canvas width. */
  width: number;
  /** Canvas height. */
  height: number;
  /** Font family of all text. */
  fontFamily: string;
  /** Title, or `null`. */
  title: TextLine | null;
  /** Columns, left to right. */
  columns: NetworkColumn[];
  /** Drawn neurons. */
  circles: NeuronCircle[];
  /** Drawn links (between drawn neurons only). */
  links: NetworkLink[];
  /** Description lines (empty without `description: true`). */
  descriptions: TextLine[];
  /** Markers of collapsed columns. */
  collapsed: CollapsedMarker[];
  /** Weights legend, or `null` without `weights: true`. */
  legend: NetworkLegend | null;
  /** What was left out to keep the figure small (e.g. `maxNeurons` lowered), or `null`. */
  note: TextLine | null;
}
