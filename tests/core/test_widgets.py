from django import forms

from core.forms import fast_selects, style_fields
from core.widgets import FastSelect


class Form(forms.Form):
    city = forms.ChoiceField(
        choices=[("", "все"), ("1", "Харбин"), ("2", "Ниигата <Япония>")], required=False
    )


def test_it_renders_the_same_options_as_djangos_select():
    bound = Form({"city": "2"})
    fast = FastSelect(choices=bound.fields["city"].choices, attrs={"class": "form-select"})

    html = fast.render("city", "2", attrs={"id": "id_city"})

    assert html.startswith('<select class="form-select" id="id_city" name="city">')
    assert '<option value="1">Харбин</option>' in html
    assert '<option value="2" selected>Ниигата &lt;Япония&gt;</option>' in html
    assert html.count("<option") == 3 and html.count("selected") == 1


def test_without_a_value_the_empty_choice_is_selected_as_django_does():
    html = FastSelect(choices=[("", "все"), ("1", "Харбин")]).render("city", None)

    assert '<option value="" selected>все</option>' in html
    assert html.count("selected") == 1


def test_labels_and_values_are_escaped_once():
    html = FastSelect(choices=[('"x"', "<b>&</b>")]).render("city", None)

    assert '<option value="&quot;x&quot;">&lt;b&gt;&amp;&lt;/b&gt;</option>' in html


class Filters(forms.Form):
    city = forms.ChoiceField(choices=[("", "все"), ("1", "Харбин")], required=False)
    cities = forms.MultipleChoiceField(choices=[("1", "Харбин")], required=False)
    active = forms.BooleanField(required=False)


def test_filter_forms_get_bootstrap_classes_and_fast_selects():
    form = fast_selects(style_fields(Filters({"city": "1"})))

    assert type(form.fields["city"].widget) is FastSelect
    assert type(form.fields["cities"].widget) is forms.SelectMultiple  # left to Django
    html = str(form["city"])
    assert html.startswith('<select class="form-select" id="id_city" name="city">')
    assert '<option value="1" selected>Харбин</option>' in html
    assert 'class="form-check-input"' in str(form["active"])


def test_a_class_is_added_once_to_the_classes_a_widget_has():
    form = Filters()
    form.fields["city"].widget.attrs["class"] = "narrow"

    style_fields(style_fields(form))

    assert form.fields["city"].widget.attrs["class"] == "narrow form-select"
