from django import forms

from khv_strategy.widgets import FastSelect


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
