// @ts-check
'use strict';

/**
 * Template fixtures for the fake 1MSG server, shaped like `GET /{channel}/templates` records
 * (id, name, language, category, status, namespace, rejected_reason, components).
 * They deliberately include the quirks the real API shows: components as a JSON string, lowercase status,
 * a missing namespace (siblings share one), `message_template_namespace`, language as `{code}`,
 * PENDING/REJECTED records and the same name in two languages.
 */

/** Namespace shared by every fixture template (the "sibling" namespace). */
const NAMESPACE = 'dummy_namespace_1a2b3c';

/**
 * @typedef {{ type: string, text?: string, url?: string, phone_number?: string, otp_type?: string, example?: unknown, flow_id?: string, flow_action?: string, navigate_screen?: string }} TemplateButton
 * @typedef {{ type: string, format?: string, text?: string, buttons?: TemplateButton[], example?: unknown, add_security_recommendation?: boolean, cards?: Array<{ components: unknown[] }>, limited_time_offer?: { text?: string, has_expiration?: boolean } }} TemplateComponent
 * @typedef {{
 *   id: string,
 *   name: string,
 *   language: string | { code: string },
 *   category: string,
 *   status: string,
 *   namespace?: string,
 *   message_template_namespace?: string,
 *   rejected_reason?: string,
 *   parameter_format?: string,
 *   components: TemplateComponent[] | string,
 * }} TemplateRecord
 */

let nextId = 1;
/** @returns {string} */
function newId() {
	return String(1180000000000000 + nextId++);
}

/**
 * A UTILITY template: body + one static URL button (the section 6 pattern).
 * @param {string} name
 * @param {string} body
 * @param {string} button
 * @param {string} [url]
 * @returns {TemplateRecord}
 */
function utility(name, body, button, url = 'https://example.com/' + name.replace(/_/g, '-')) {
	return {
		id: newId(),
		name,
		language: 'en',
		category: 'UTILITY',
		status: 'APPROVED',
		namespace: NAMESPACE,
		rejected_reason: 'NONE',
		components: [
			{ type: 'BODY', text: body },
			{ type: 'BUTTONS', buttons: [{ type: 'URL', text: button, url }] },
		],
	};
}

/**
 * A UTILITY template with quick-reply buttons.
 * @param {string} name
 * @param {string} body
 * @param {string[]} replies
 * @returns {TemplateRecord}
 */
function quickReplies(name, body, replies) {
	return {
		id: newId(),
		name,
		language: 'en',
		category: 'UTILITY',
		status: 'APPROVED',
		namespace: NAMESPACE,
		rejected_reason: 'NONE',
		components: [
			{ type: 'BODY', text: body },
			{ type: 'BUTTONS', buttons: replies.map((text) => ({ type: 'QUICK_REPLY', text })) },
		],
	};
}

const OTP_BODY = '{{1}} is your verification code. For your security, do not share this code with anyone.';

/**
 * An authentication template's code button as Meta lists it once created: the creation request names
 * it `OTP`, but "WhatsApp sets the button type to URL upon creation" (Meta, "Copy code authentication
 * templates", Jun 24, 2026; "One-tap autofill authentication templates" likewise). The url and example
 * are those Microsoft's ACS docs print for a listed copy-code template (test/fixtures/contract/
 * meta-templates.json, "authentication template AS LISTED"); one-tap has `otp_type=ONE_TAP`.
 * @param {'COPY_CODE' | 'ONE_TAP'} [otpType]
 * @param {string} [text]
 * @returns {TemplateButton}
 */
function listedCodeButton(otpType = 'COPY_CODE', text = 'Copy code') {
	const url = `https://www.whatsapp.com/otp/code/?otp_type=${otpType}&code=otp`;
	return { type: 'URL', text, url: `${url}{{1}}`, example: [`${url}123456`] };
}

/**
 * An AUTHENTICATION (OTP) template with a copy-code button, listed as Meta lists it (a URL button).
 * @param {string} name
 * @param {TemplateButton} [button]
 * @returns {TemplateRecord}
 */
function otp(name, button = listedCodeButton()) {
	return {
		id: newId(),
		name,
		language: 'en',
		category: 'AUTHENTICATION',
		status: 'APPROVED',
		namespace: NAMESPACE,
		rejected_reason: 'NONE',
		components: [
			{ type: 'BODY', text: OTP_BODY, add_security_recommendation: true },
			{ type: 'FOOTER', text: 'This code expires in 10 minutes.' },
			{ type: 'BUTTONS', buttons: [button] },
		],
	};
}

/**
 * An approved MARKETING template with the given components.
 * @param {string} name
 * @param {TemplateComponent[]} components
 * @returns {TemplateRecord}
 */
function marketing(name, components) {
	return { id: newId(), name, language: 'en', category: 'MARKETING', status: 'APPROVED', namespace: NAMESPACE, rejected_reason: 'NONE', components };
}

/** @type {TemplateRecord[]} */
const TEMPLATES = [
	// ---- Orders (section 6) ----
	utility(
		'new_order_confirmation',
		'Hello, {{1}}! Your order #{{2}} for "{{3}}" totaling {{4}} has been accepted. We will let you know when it ships.',
		'View order',
	),
	utility(
		'order_no_response_notification',
		'Hello, {{1}}! We are waiting for your reply regarding order #{{2}}: {{3}}. {{4}}.',
		'Confirm order',
	),
	utility(
		'order_cancellation_notification',
		'Hello, {{1}}! Order #{{2}} for "{{3}}" has been cancelled. {{4}}.',
		'Order details',
	),
	utility(
		'order_return_notification',
		'Hello, {{1}}! A return has been initiated for order #{{2}} for "{{3}}". {{4}}.',
		'Return details',
	),
	utility(
		'delivery_delay_notification',
		'Hello, {{1}}! Unfortunately, the delivery of order #{{2}} for "{{3}}" is delayed. {{4}}.',
		'Track shipment',
	),
	utility(
		'partner_delivery_confirmation',
		'Hello, {{1}}! Order #{{2}} for "{{3}}" has been delivered to your partner pickup point. {{4}}.',
		'Handoff details',
	),
	utility(
		'new_route_notification',
		'Hello, {{1}}! A new route #{{2}} has been created: "{{3}}". {{4}}.',
		'Route details',
	),
	// ---- Notifications ----
	utility(
		'client_inactivity_notification',
		'Hello, {{1}}! We noticed you have not yet completed {{2}}. If you would like to continue — we are ready to help and answer your questions at any time.',
		'Continue',
	),
	utility(
		'status_change_notification',
		'Hello {{1}}, the status of your {{2}} has been updated to: {{3}}. Tap the button below for details.',
		'View status',
	),
	utility(
		'service_change_notification',
		'Hello, {{1}}! The status of your {{2}} has been updated. {{3}} If you need help — we are here.',
		'Learn more',
	),
	utility(
		'next_step_notification',
		'Hello, {{1}}! For your process "{{2}}", the next step is: {{3}}. We will guide you along the way.',
		'Open portal',
	),
	utility(
		'booking_confirmation',
		'Hello, {{1}}! Your appointment for {{2}} is confirmed. Date: {{3}}, time: {{4}}. We look forward to seeing you.',
		'Open website',
	),
	utility(
		'registration_welcome',
		'Welcome {{1}}! Thank you for registering with {{2}}. Your account is ready to use.',
		'Open Account',
	),
	// ---- Payments ----
	utility(
		'upcoming_payment_reminder',
		'Hello, {{1}}! A payment of {{2}} is due on {{3}}. Please make sure it is completed on time.',
		'Pay now',
	),
	utility(
		'payment_overdue_reminder',
		'Hi {{1}}, we would like to remind you that your payment of {{2}} is now overdue as of {{3}}. Please settle it at your earliest convenience.',
		'Pay',
	),
	utility('payment_link_send', 'Hello, {{1}}! Please pay {{2}} by {{3}} using the link below.', 'Pay now'),
	utility(
		'payment_success_confirmation',
		'Hi {{1}}, we have received your payment of {{2}} on {{3}}. Thank you!',
		'Receipt',
	),
	utility(
		'offline_payment_notification',
		'Hello, {{1}}! We recorded your offline payment of {{2}} on {{3}}. Thank you!',
		'View receipt',
	),
	utility(
		'new_payment_notification',
		'💳 New payment received\nCustomer: {{1}}\nAmount: {{2}}\nDate: {{3}}\nPlease check the billing system for details.',
		'Open billing',
	),
	utility(
		'monthly_invoice_notification',
		'Hello, {{1}}! Your monthly invoice for "{{2}}" is {{3}}. Payment due: {{4}}.',
		'Pay invoice',
	),
	utility(
		'invoice_send_notification',
		'Hello, {{1}}! Invoice #{{2}} has been issued for {{3}}. Payment due: {{4}}.',
		'Pay invoice',
	),
	utility(
		'subscription_confirmation',
		'Hello, {{1}}! Your subscription to "{{2}}" for {{3}} is active as of {{4}}. Thank you for choosing us.',
		'View subscription',
	),
	utility(
		'plan_expiry_notification',
		'Hello, {{1}}! Your plan "{{2}}" ends on {{3}}. Renew now to keep access to all features.',
		'Renew plan',
	),
	// ---- Bookings ----
	utility(
		'upcoming_visit_reminder',
		'Hello, {{1}}! Reminder: your appointment for {{2}} is on {{3}} at {{4}}. See you soon!',
		'View booking',
	),
	utility(
		'advance_booking_reminder',
		'Hello, {{1}}! Reminder: your appointment for {{2}} is on {{3}} at {{4}}. Please plan ahead.',
		'View booking',
	),
	utility(
		'booking_change_notification',
		'Hello, {{1}}! Your booking for {{2}} has changed: {{3}}. New date: {{4}}.',
		'View booking',
	),
	utility(
		'pre_visit_instructions',
		'Hello, {{1}}! Before your {{2}} on {{3}}, please note: {{4}}',
		'View booking',
	),
	quickReplies(
		'pending_booking_confirmation',
		'Hello, {{1}}! Please confirm your {{2}} booking on {{3}} at {{4}}:',
		['Confirm', 'Cancel'],
	),
	quickReplies(
		'visit_datetime_clarification',
		'Hello, {{1}}! Please confirm your {{2}} appointment on {{3}} at {{4}}:',
		['Confirm', 'Other time'],
	),
	// ---- Support ----
	utility(
		'ticket_accepted_notification',
		'Hello, {{1}}! Your request #{{2}} has been accepted for processing. {{3}} We will keep you updated.',
		'Request status',
	),
	utility(
		'agent_assigned_notification',
		'Hello, {{1}}! A specialist has been assigned to your request #{{2}}: {{3}}. They will contact you shortly.',
		'Request status',
	),
	// ---- Sales ----
	utility(
		'proposal_followup',
		'Hi {{1}}, we wanted to follow up on the proposal we sent you for {{2}}. Our suggested next step - {{3}}. Let us know if you have any questions.',
		'View Proposal',
	),
	// ---- Security (AUTHENTICATION) ----
	otp('otp_verification'),
	otp('otp_registration'),
	otp('otp_resend'),

	// ---- Component-shape fixtures ----
	{
		id: newId(),
		name: 'invoice_with_document',
		language: 'en',
		category: 'UTILITY',
		status: 'APPROVED',
		namespace: NAMESPACE,
		rejected_reason: 'NONE',
		components: [
			{
				type: 'HEADER',
				format: 'DOCUMENT',
				example: { header_handle: ['https://example.com/samples/invoice.pdf'] },
			},
			{ type: 'BODY', text: 'Hello, {{1}}! Your invoice #{{2}} is attached to this message.' },
			{
				type: 'BUTTONS',
				buttons: [
					{ type: 'QUICK_REPLY', text: 'Questions?' },
					{
						type: 'URL',
						text: 'View invoice',
						url: 'https://example.com/invoices/{{1}}',
						example: ['https://example.com/invoices/INV-1001'],
					},
				],
			},
		],
	},
	{
		id: newId(),
		name: 'order_shipped_with_header',
		language: 'en',
		category: 'UTILITY',
		status: 'APPROVED',
		namespace: NAMESPACE,
		rejected_reason: 'NONE',
		components: [
			{ type: 'HEADER', format: 'TEXT', text: 'Order {{1}} has shipped', example: { header_text: ['#10482'] } },
			{ type: 'BODY', text: 'Hello, {{1}}! Your order is on its way and should arrive by {{2}}.' },
			{ type: 'FOOTER', text: 'Reply STOP to opt out' },
		],
	},
	{
		id: newId(),
		name: 'summer_sale_promo',
		language: 'en',
		category: 'MARKETING',
		status: 'APPROVED',
		namespace: NAMESPACE,
		rejected_reason: 'NONE',
		components: [
			{ type: 'HEADER', format: 'IMAGE', example: { header_handle: ['https://example.com/samples/sale.jpg'] } },
			{ type: 'BODY', text: 'Hi {{1}}! Our summer sale is on: {{2}} off everything until Sunday.' },
			{ type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Shop now', url: 'https://example.com/sale' }] },
		],
	},
	{
		id: newId(),
		name: 'product_demo_video',
		language: 'en',
		category: 'MARKETING',
		status: 'APPROVED',
		namespace: NAMESPACE,
		rejected_reason: 'NONE',
		components: [
			{ type: 'HEADER', format: 'VIDEO', example: { header_handle: ['https://example.com/samples/demo.mp4'] } },
			{ type: 'BODY', text: 'Hi {{1}}, here is a short demo of our new product.' },
		],
	},
	{
		id: newId(),
		name: 'named_params_pickup',
		language: 'en',
		category: 'UTILITY',
		status: 'APPROVED',
		namespace: NAMESPACE,
		rejected_reason: 'NONE',
		parameter_format: 'NAMED',
		components: [
			{
				type: 'BODY',
				text: 'Hello {{customer_name}}, your order {{order_id}} is ready for pickup.',
				example: {
					body_text_named_params: [
						{ param_name: 'customer_name', example: 'Maria' },
						{ param_name: 'order_id', example: '10482' },
					],
				},
			},
		],
	},
	{
		id: newId(),
		name: 'string_components_reminder',
		language: 'en',
		category: 'UTILITY',
		status: 'APPROVED',
		namespace: NAMESPACE,
		rejected_reason: 'NONE',
		components: JSON.stringify([
			{ type: 'BODY', text: 'Hello, {{1}}! This is a friendly reminder about {{2}}.' },
			{ type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Open', url: 'https://example.com/reminders' }] },
		]),
	},
	{
		id: newId(),
		name: 'lowercase_status_notice',
		language: 'en',
		category: 'UTILITY',
		status: 'approved',
		namespace: NAMESPACE,
		rejected_reason: 'NONE',
		components: [{ type: 'BODY', text: 'Hi {{1}}, your document {{2}} is ready.' }],
	},
	{
		id: newId(),
		name: 'missing_namespace_notice',
		language: 'en',
		category: 'UTILITY',
		status: 'APPROVED',
		rejected_reason: 'NONE',
		components: [{ type: 'BODY', text: 'Hello, {{1}}! Your ticket {{2}} was closed.' }],
	},
	{
		id: newId(),
		name: 'alt_namespace_field_notice',
		language: 'en',
		category: 'UTILITY',
		status: 'APPROVED',
		message_template_namespace: NAMESPACE,
		rejected_reason: 'NONE',
		components: [{ type: 'BODY', text: 'Hello, {{1}}! Your profile was updated.' }],
	},
	{
		id: newId(),
		name: 'language_object_notice',
		language: { code: 'es' },
		category: 'UTILITY',
		status: 'APPROVED',
		namespace: NAMESPACE,
		rejected_reason: 'NONE',
		components: [{ type: 'BODY', text: 'Hola, {{1}}! Tu pedido #{{2}} está en camino.' }],
	},
	{
		id: newId(),
		name: 'static_announcement',
		language: 'en',
		category: 'UTILITY',
		status: 'APPROVED',
		namespace: NAMESPACE,
		rejected_reason: 'NONE',
		components: [
			{ type: 'HEADER', format: 'TEXT', text: 'Service notice' },
			{ type: 'BODY', text: 'Our office will be closed on public holidays. Thank you for your understanding.' },
			{
				type: 'BUTTONS',
				buttons: [
					{ type: 'PHONE_NUMBER', text: 'Call us', phone_number: '+15550100100' },
					{ type: 'URL', text: 'Website', url: 'https://example.com' },
				],
			},
		],
	},
	// ---- Marketing kinds: a coupon, a carousel of 3 cards, a limited-time offer, a flow ----
	marketing('autumn_coupon_offer', [
		{ type: 'HEADER', format: 'TEXT', text: 'Autumn sale' },
		{ type: 'BODY', text: 'Hi {{1}}! Use the code below for {{2}} off your next order.', example: { body_text: [['Maria', '25%']] } },
		{
			type: 'BUTTONS',
			buttons: [
				{ type: 'COPY_CODE', example: 'AUTUMN25' },
				{ type: 'URL', text: 'Shop now', url: 'https://example.com/shop/{{1}}', example: ['https://example.com/shop/autumn'] },
			],
		},
	]),
	marketing('back_in_stock_carousel', [
		{ type: 'BODY', text: 'Hi {{1}}, these picks are back in stock:', example: { body_text: [['Maria']] } },
		{
			type: 'CAROUSEL',
			cards: [1, 2, 3].map((n) => ({
				components: [
					{ type: 'HEADER', format: 'IMAGE', example: { header_handle: [`https://example.com/samples/product-${n}.jpg`] } },
					{ type: 'BODY', text: '{{1}}, now {{2}}.', example: { body_text: [['Trail shoes', '$89']] } },
					{
						type: 'BUTTONS',
						buttons: [
							{ type: 'QUICK_REPLY', text: 'More like this' },
							{ type: 'URL', text: 'Buy now', url: 'https://example.com/products/{{1}}', example: ['https://example.com/products/sku-1'] },
						],
					},
				],
			})),
		},
	]),
	marketing('weekend_flash_offer', [
		{ type: 'HEADER', format: 'IMAGE', example: { header_handle: ['https://example.com/samples/flash.jpg'] } },
		{ type: 'LIMITED_TIME_OFFER', limited_time_offer: { text: 'Expiring offer!', has_expiration: true } },
		{ type: 'BODY', text: 'Good news, {{1}}! Use code {{2}} to get 25% off all weekend packages.', example: { body_text: [['Maria', 'FLASH25']] } },
		{
			type: 'BUTTONS',
			buttons: [
				{ type: 'COPY_CODE', example: 'FLASH25' },
				{ type: 'URL', text: 'Book now', url: 'https://example.com/offers?code={{1}}', example: ['https://example.com/offers?code=FLASH25'] },
			],
		},
	]),
	marketing('visit_booking_flow', [
		{ type: 'BODY', text: 'Hi {{1}}, book your next visit in two taps.', example: { body_text: [['Maria']] } },
		{ type: 'BUTTONS', buttons: [{ type: 'FLOW', text: 'Book a visit', flow_id: '1184712345678901', flow_action: 'navigate', navigate_screen: 'WELCOME' }] },
	]),
	// Same name in two languages, with different variable counts (key by name|language).
	{
		id: newId(),
		name: 'order_status_update',
		language: 'en',
		category: 'UTILITY',
		status: 'APPROVED',
		namespace: NAMESPACE,
		rejected_reason: 'NONE',
		components: [{ type: 'BODY', text: 'Hello, {{1}}! Your order #{{2}} is now: {{3}}.' }],
	},
	{
		id: newId(),
		name: 'order_status_update',
		language: 'pt_BR',
		category: 'UTILITY',
		status: 'APPROVED',
		namespace: NAMESPACE,
		rejected_reason: 'NONE',
		components: [{ type: 'BODY', text: 'Olá, {{1}}! Seu pedido #{{2}} foi atualizado.' }],
	},
	// Authentication templates in the other forms a list gives: one-tap autofill (Meta's listed URL with
	// otp_type=ONE_TAP), and the code button still typed OTP with its otp_type, as the creation request names it.
	otp('otp_one_tap_login', listedCodeButton('ONE_TAP')),
	otp('otp_button_typed_otp', { type: 'OTP', otp_type: 'COPY_CODE', text: 'Copy code' }),
	// Not sendable.
	{
		id: newId(),
		name: 'pending_review_notice',
		language: 'en',
		category: 'MARKETING',
		status: 'PENDING',
		namespace: NAMESPACE,
		rejected_reason: 'NONE',
		components: [{ type: 'BODY', text: 'Hi {{1}}, something new is coming soon.' }],
	},
	{
		id: newId(),
		name: 'rejected_promo_notice',
		language: 'en',
		category: 'MARKETING',
		status: 'REJECTED',
		namespace: NAMESPACE,
		rejected_reason: 'INVALID_FORMAT',
		components: [{ type: 'BODY', text: 'WIN {{1}} NOW!!!' }],
	},
];

/**
 * A fresh deep copy of the fixtures (so a test may mutate its copy).
 * @returns {TemplateRecord[]}
 */
function cloneTemplates() {
	return JSON.parse(JSON.stringify(TEMPLATES));
}

module.exports = { NAMESPACE, OTP_BODY, TEMPLATES, cloneTemplates, listedCodeButton };
