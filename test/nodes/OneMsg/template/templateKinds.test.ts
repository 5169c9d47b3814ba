/**
 * The exact `params` sent for each template kind, compared with the shapes in Meta's
 * template-message reference; the fixtures are the fake channel's template records.
 */
import { inputErrorOf as errorOf } from '../../../helpers/inputError';
import { planSend, type SendInput } from '../../../../nodes/OneMsg/template/sendPlan';
import { templateRecordsOf, templateSlots } from '../../../../nodes/OneMsg/template/templates';
import { TEMPLATES } from '../../../fake-1msg/templates';
import { CAROUSEL_CARD_LABELS } from '../../../fixtures/templates';

const templates = templateRecordsOf({ templates: TEMPLATES });
const byName = (name: string) => templates.find((t) => t.name === name)!;

const NOW = Date.parse('2026-12-01T08:00:00Z');

function custom(template: string, slotValues: Record<string, unknown>, extra: Partial<SendInput> = {}) {
	return planSend(
		{ templateChoice: { name: template, language: 'en' }, phone: '79991234567', slotValues, cleanText: true, now: NOW, ...extra },
		templates,
	);
}

describe('copy-code coupon (marketing)', () => {
	it('sends the coupon as sub_type copy_code with a coupon_code parameter, at the button position', () => {
		const plan = custom('autumn_coupon_offer', { body_1: 'Maria', body_2: '25%', button_0_coupon: 'AUTUMN25', button_1_url: 'autumn' });
		expect(plan.body.params).toEqual([
			{ type: 'body', parameters: [{ type: 'text', text: 'Maria' }, { type: 'text', text: '25%' }] },
			{ type: 'button', sub_type: 'copy_code', index: 0, parameters: [{ type: 'coupon_code', coupon_code: 'AUTUMN25' }] },
			{ type: 'button', sub_type: 'url', index: 1, parameters: [{ type: 'text', text: 'autumn' }] },
		]);
		expect(plan.variables).toMatchObject({ 'Coupon Code': 'AUTUMN25' });
	});

	it('fails a blank coupon naming the field, never filling it from a body value', () => {
		for (const blank of [undefined, '', '   ']) {
			const error = errorOf(() => custom('autumn_coupon_offer', { body_1: 'Maria', body_2: '25%', button_0_coupon: blank, button_1_url: 'a' }));
			expect(error.field).toBe('Coupon Code');
			expect(error.message).toBe('Coupon Code is empty');
			expect(error.category).toBe('invalid_input');
		}
	});

	it('refuses a coupon longer than 15 characters', () => {
		const error = errorOf(() => custom('autumn_coupon_offer', { body_1: 'M', body_2: '5%', button_0_coupon: 'AUTUMN-2026-VIP-25', button_1_url: 'a' }));
		expect(error.field).toBe('Coupon Code');
		expect(error.message).toBe('Coupon Code "AUTUMN-2026-VIP-25" has 18 characters; WhatsApp allows 15 for a coupon code');
	});
});

describe('authentication copy-code button', () => {
	it("repeats the body code in the button, as a url sub_type text parameter at index \"0\" as Meta's copy-code page sends it", () => {
		const plan = custom('otp_verification', { body_1: '482915' });
		expect(plan.body.params).toEqual([
			{ type: 'body', parameters: [{ type: 'text', text: '482915' }] },
			{ type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: '482915' }] },
		]);
	});
});

describe('carousel', () => {
	const cardValues = {
		body_1: 'Maria',
		...Object.fromEntries(
			[1, 2, 3].flatMap((n) => [
				[`card_${n}_header_media`, `https://example.com/p/${n}.jpg`],
				[`card_${n}_body_1`, `Product ${n}`],
				[`card_${n}_body_2`, `$${n}9`],
				[`card_${n}_button_1_url`, `sku-${n}`],
			]),
		),
	};

	it('labels every card field with its card number', () => {
		const labels = templateSlots(byName('back_in_stock_carousel')).map((slot) => slot.label);
		expect(labels).toEqual(['Body Variable {{1}}', ...CAROUSEL_CARD_LABELS]);
	});

	it('sends the body, then every card in order with card_index, header, body and URL button', () => {
		const plan = custom('back_in_stock_carousel', cardValues);
		expect(plan.body.params).toEqual([
			{ type: 'body', parameters: [{ type: 'text', text: 'Maria' }] },
			{
				type: 'carousel',
				cards: [1, 2, 3].map((n) => ({
					card_index: n - 1,
					components: [
						{ type: 'header', parameters: [{ type: 'image', image: { link: `https://example.com/p/${n}.jpg` } }] },
						{ type: 'body', parameters: [{ type: 'text', text: `Product ${n}` }, { type: 'text', text: `$${n}9` }] },
						{ type: 'button', sub_type: 'url', index: 1, parameters: [{ type: 'text', text: `sku-${n}` }] },
					],
				})),
			},
		]);
		expect(plan.renderedText).toBe('Hi Maria, these picks are back in stock:');
	});

	it("refuses a card's plain-http image naming the card field", () => {
		const error = errorOf(() => custom('back_in_stock_carousel', { ...cardValues, card_2_header_media: 'http://example.com/2.jpg' }));
		expect(error.field).toBe('Card 2 – Header Image Link (HTTPS URL)');
		expect(error.message).toBe('Card 2 – Header Image Link (HTTPS URL) must start with https://');
	});

	it('is refused by a scenario preset, which fills only the body', () => {
		const preset = { title: 'Welcome', variables: [{ key: 'customerName', label: 'Customer Name' }] } as unknown as SendInput['preset'];
		const error = errorOf(() =>
			planSend(
				{ preset, templateChoice: { name: 'back_in_stock_carousel', language: 'en' }, phone: '79991234567', presetValues: { customerName: 'M' }, cleanText: true },
				templates,
			),
		);
		expect(error.category).toBe('param_mismatch');
		expect(error.message).toMatch(/also needs Card 1 – Header Image Link/);
	});
});

describe('limited-time offer', () => {
	const values = {
		header_media: 'https://example.com/flash.jpg',
		body_1: 'Maria',
		body_2: 'FLASH25',
		button_0_coupon: 'FLASH25',
		button_1_url: 'FLASH25',
	};

	it('sends limited_time_offer with expiration_time_ms between the body and the buttons', () => {
		const plan = custom('weekend_flash_offer', { ...values, offer_expiration: '2026-12-06T18:00:00Z' });
		expect(plan.body.params).toEqual([
			{ type: 'header', parameters: [{ type: 'image', image: { link: 'https://example.com/flash.jpg' } }] },
			{ type: 'body', parameters: [{ type: 'text', text: 'Maria' }, { type: 'text', text: 'FLASH25' }] },
			{ type: 'limited_time_offer', parameters: [{ type: 'limited_time_offer', limited_time_offer: { expiration_time_ms: Date.parse('2026-12-06T18:00:00Z') } }] },
			{ type: 'button', sub_type: 'copy_code', index: 0, parameters: [{ type: 'coupon_code', coupon_code: 'FLASH25' }] },
			{ type: 'button', sub_type: 'url', index: 1, parameters: [{ type: 'text', text: 'FLASH25' }] },
		]);
	});

	it.each([
		['Unix seconds', String(NOW / 1000 + 3600), NOW + 3_600_000],
		['Unix milliseconds', NOW + 60_000, NOW + 60_000],
	])('reads the expiration from %s', (_what, raw, ms) => {
		const plan = custom('weekend_flash_offer', { ...values, offer_expiration: raw });
		expect(plan.body.params?.find((p) => p.type === 'limited_time_offer')).toEqual({
			type: 'limited_time_offer',
			parameters: [{ type: 'limited_time_offer', limited_time_offer: { expiration_time_ms: ms } }],
		});
	});

	it.each([
		['in the past', '2026-11-30T08:00:00Z', 'Offer Expires At 2026-11-30T08:00:00.000Z is not in the future'],
		['not a date', 'next Friday', 'Offer Expires At "next Friday" is not a date or a Unix time'],
		['empty', '', 'Offer Expires At is empty'],
	])('refuses an expiration %s, naming the field', (_what, raw, message) => {
		const error = errorOf(() => custom('weekend_flash_offer', { ...values, offer_expiration: raw }));
		expect(error.field).toBe('Offer Expires At');
		expect(error.message).toBe(message);
	});
});

describe('flow button', () => {
	it("sends sub_type flow with an action holding Meta's default token when none is given", () => {
		const plan = custom('visit_booking_flow', { body_1: 'Maria' });
		expect(plan.body.params).toEqual([
			{ type: 'body', parameters: [{ type: 'text', text: 'Maria' }] },
			{ type: 'button', sub_type: 'flow', index: 0, parameters: [{ type: 'action', action: { flow_token: 'unused' } }] },
		]);
	});

	it('sends the flow token and the action data given', () => {
		const plan = custom('visit_booking_flow', {
			body_1: 'Maria',
			button_0_flow_token: 'booking-10482',
			button_0_flow_data: '{"visit_id": "10482", "slots": 3}',
		});
		expect(plan.body.params?.[1]).toEqual({
			type: 'button',
			sub_type: 'flow',
			index: 0,
			parameters: [{ type: 'action', action: { flow_token: 'booking-10482', flow_action_data: { visit_id: '10482', slots: 3 } } }],
		});
	});

	it('refuses action data that is not a JSON object, naming the field', () => {
		const error = errorOf(() => custom('visit_booking_flow', { body_1: 'Maria', button_0_flow_data: '[1, 2]' }));
		expect(error.field).toBe('Button "Book a visit" Flow Data (JSON)');
		expect(error.message).toBe('Button "Book a visit" Flow Data (JSON) must be a JSON object, not a list');
	});
});

describe('Params (JSON) mode', () => {
	it('sends the array as given, currency and date_time parameters included', () => {
		const params = [
			{
				type: 'body',
				parameters: [
					{ type: 'currency', currency: { fallback_value: '$100.99', code: 'USD', amount_1000: 100990 } },
					{ type: 'date_time', date_time: { fallback_value: 'February 25, 2027' } },
				],
			},
		];
		const plan = custom('order_shipped_with_header', {}, { paramsJson: JSON.stringify(params) });
		expect(plan.body.params).toEqual(params);
		expect(plan.renderedText).toBe('Hello, $100.99! Your order is on its way and should arrive by February 25, 2027.');
	});

	it('reads an array given by an expression as well as JSON text', () => {
		const params = [{ type: 'body', parameters: [{ type: 'text', text: 'Maria' }] }];
		expect(custom('product_demo_video', {}, { paramsJson: params }).body.params).toEqual(params);
	});
});
