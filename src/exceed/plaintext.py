"""Plain-text rendering for emails: Django's templates escape HTML, which a text email must not.

``render_to_string`` of a .txt template wrote "n&#x27;était" and "&amp;" into customers' and
managers' emails (issue 7). Every text part and subject of an email is rendered here, with
autoescaping off; the HTML part keeps ``render_to_string`` and its escaping.
"""

from django.template import Context, engines


def render_text(template_name: str, context: dict) -> str:
    template = engines["django"].engine.get_template(template_name)
    return template.render(Context(context, autoescape=False))
