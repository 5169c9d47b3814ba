/**
 * Where a template stands in Meta's review, read from the channel's template list: the state a
 * workflow waits on (`approved`, `pending`, `rejected` with Meta's reason) and what to do next.
 * Pure: the operations and the picker call it with the list they read.
 */
import { InputError } from '../shared/failures';
import type { TemplateRecord } from './templates';
import { isApproved } from './templates';

export type ReviewState = 'approved' | 'pending' | 'rejected' | 'paused' | 'disabled' | 'other';

export interface TemplateStatusSummary {
	template: string;
	language: string;
	category: string;
	status: ReviewState;
	/** 1MSG's own word for the state, e.g. `PENDING` or `approved`. */
	rawStatus: string;
	approved: boolean;
	rejectedReason: string | null;
	nextStep: string;
}

const KNOWN: readonly ReviewState[] = ['approved', 'pending', 'rejected', 'paused', 'disabled'];

export function reviewStateOf(template: Pick<TemplateRecord, 'status'>): ReviewState {
	const status = template.status.trim().toLowerCase();
	if (status === 'in_appeal' || status === 'pending_review' || status === 'submitted') return 'pending';
	return KNOWN.find((state) => state === status) ?? 'other';
}

/** Meta's reason, when there is one: `NONE` means no reason. */
export function rejectionReasonOf(template: TemplateRecord): string | null {
	const reason = template.rejectedReason?.trim();
	return reason && reason.toUpperCase() !== 'NONE' ? reason : null;
}

const NEXT_STEP: Record<ReviewState, string> = {
	approved: 'The template can be sent: pick it in a Send Template node (it is listed for its scenario).',
	pending:
		"Meta is reviewing the template (usually minutes, at most 24 hours). Check again later, e.g. a Wait node and Get Template Status until status is 'approved'.",
	rejected:
		'Meta rejected the template. Change the text or examples as the reason says, and create it again under a new name.',
	paused: 'Meta paused the template after poor feedback from customers; it cannot be sent until it is active again.',
	disabled: 'Meta disabled the template; create a new one.',
	other: 'Check the template in the 1MSG dashboard.',
};

export function templateStatusSummary(template: TemplateRecord): TemplateStatusSummary {
	const status = reviewStateOf(template);
	return {
		template: template.name,
		language: template.language,
		category: template.category,
		status,
		rawStatus: template.status,
		approved: isApproved(template),
		rejectedReason: rejectionReasonOf(template),
		nextStep: NEXT_STEP[status],
	};
}

/** A short label for a template that is not approved, e.g. `pending approval` or `rejected: INVALID_FORMAT`. */
export function reviewLabel(template: TemplateRecord): string {
	const state = reviewStateOf(template);
	if (state === 'pending') return 'pending approval';
	if (state === 'rejected') return `rejected${rejectionReasonOf(template) ? `: ${rejectionReasonOf(template)}` : ''}`;
	return template.status.toLowerCase();
}

/** The template of that name (and language, when given) on the channel, or an error naming the field. */
export function findTemplateForStatus(templates: TemplateRecord[], name: string, language?: string): TemplateRecord {
	const sameName = templates.filter((t) => t.name === name);
	const match = language ? sameName.find((t) => t.language === language) : sameName[0];
	if (match && (language || sameName.length === 1)) return match;
	if (sameName.length > 1) {
		throw new InputError(
			'Language',
			`Template "${name}" exists in ${sameName.map((t) => t.language).join(', ')}`,
			'Set Language to the version you want.',
		);
	}
	throw new InputError(
		'Template Name',
		language && sameName.length > 0
			? `Template "${name}" has no "${language}" version (it has ${sameName.map((t) => t.language).join(', ')})`
			: `Template "${name}" does not exist on this channel`,
		'Check the name, or create the template with Create Template from Scenario first.',
		'template_not_found',
	);
}
