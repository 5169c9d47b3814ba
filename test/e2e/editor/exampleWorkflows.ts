/**
 * The example workflows in examples/, read as a user's File > Import would read them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const EXAMPLES_DIR = path.resolve(__dirname, '..', '..', '..', 'examples');

export interface ExampleNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	webhookId?: string;
	disabled?: boolean;
	credentials?: Record<string, { id: string; name: string }>;
}

export interface ExampleWorkflow {
	id: string;
	name: string;
	nodes: ExampleNode[];
	connections: Record<string, { main: Array<Array<{ node: string; type: string; index: number }>> }>;
	settings: Record<string, unknown>;
	pinData: Record<string, unknown>;
}

export const EXAMPLE_FILES = {
	crm: 'crm-order-no-response.json',
	fallback: 'delivery-status-fallback.json',
	schedule: 'scheduled-inactivity-reminder.json',
	approval: 'create-template-wait-send.json',
	sendAndWait: 'crm-send-and-wait-fallback.json',
} as const;

export function loadExample(file: string): ExampleWorkflow {
	return JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8')) as ExampleWorkflow;
}

export function exampleNode(workflow: ExampleWorkflow, name: string): ExampleNode {
	const node = workflow.nodes.find((n) => n.name === name);
	if (!node) throw new Error(`example "${workflow.name}" has no node "${name}" (nodes: ${workflow.nodes.map((n) => n.name).join(', ')})`);
	return node;
}

export function nodeOfType(workflow: ExampleWorkflow, type: string): ExampleNode {
	const node = workflow.nodes.find((n) => n.type === type);
	if (!node) throw new Error(`example "${workflow.name}" has no node of type ${type}`);
	return node;
}
