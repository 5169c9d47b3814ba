/**
 * Why a delivery failed, as a category a Switch node can route on. A failed status carries only a
 * free text (1MSG's ack) or Meta's `errors[]`; both are read with the same table as the Template
 * node's API answers (CATEGORY_SIGNS), so one vocabulary serves sends and statuses.
 */
import { categoryOfText, impliedMetaCode } from './apiAnswers';
import type { ErrorCategory } from './failures';

/**
 * The categories of a failed status: the send categories that can apply after 1MSG accepted a
 * message, plus `unknown` for a text no row names. `unknown` is not `unknown_outcome`: the message
 * did fail, only the reason is not one we know.
 */
export type StatusFailureCategory = ErrorCategory | 'unknown';

export interface StatusFailure {
	category: StatusFailureCategory;
	/** Meta's code, given by the status or implied by a known 1MSG text; null when neither. */
	metaCode: number | null;
	/** The status's own words, kept whatever the category. */
	failureReason: string;
}

/** The category, Meta code and reason of a failed status's error. */
export function statusFailureOf(error: { message: string; code?: number } | null | undefined): StatusFailure {
	const failureReason = error?.message?.trim() || 'Delivery failed';
	const metaCode = error?.code ?? impliedMetaCode(failureReason) ?? null;
	return {
		category: categoryOfText(failureReason, metaCode ?? undefined) ?? 'unknown',
		metaCode,
		failureReason,
	};
}
