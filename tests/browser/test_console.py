"""The training console's main flows in Chromium, by keyboard where a person would type."""

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import PASSWORD, screenshot


def wait(driver, seconds=20):
    # A page that navigates while it is read leaves stale elements: read it again.
    return WebDriverWait(driver, seconds, ignored_exceptions=(StaleElementReferenceException,))


def sign_in(driver, network, organization, user):
    driver.get(network.console + "/login")
    Select(driver.find_element(By.ID, "organization")).select_by_value(organization)
    driver.find_element(By.ID, "user").send_keys(user)
    # Enter in the password field submits the form: no mouse needed.
    driver.find_element(By.ID, "password").send_keys(PASSWORD + Keys.ENTER)
    wait(driver, 20).until(lambda d: "メニュー" in d.title)


def inquire(driver, network, address_number, item, provider, information, system="tomakomai/kokuho", action="send"):
    driver.get(network.console + "/inquiry")
    Select(driver.find_element(By.ID, "system")).select_by_value(system)
    field = driver.find_element(By.ID, "addressNumber")
    field.clear()
    field.send_keys(address_number)
    Select(driver.find_element(By.ID, "item")).select_by_value(item)
    Select(driver.find_element(By.ID, "provider")).select_by_value(provider)
    Select(driver.find_element(By.ID, "information")).select_by_value(information)
    button = driver.find_element(By.CSS_SELECTOR, f"button[value={action}]")
    # Keyboard only: focus the button and press Enter.
    button.send_keys(Keys.ENTER)
    wait(driver, 20).until(lambda d: d.find_elements(By.ID, "reception") or d.find_elements(By.ID, "check"))


def assert_every_field_labelled(driver):
    # One script for the whole page: find_elements that finds nothing waits out the implicit wait.
    unlabelled = driver.execute_script(
        "return [...document.querySelectorAll('input:not([type=hidden]), select')]"
        ".filter(e => !e.closest('label') && !(e.id && document.querySelector(`label[for='${e.id}']`)))"
        ".map(e => e.outerHTML);")
    assert not unlabelled, f"fields without a label on {driver.current_url}: {unlabelled}"


def test_sign_in_inquire_and_read_the_result(network, browser):
    driver = browser()
    sign_in(driver, network, "tomakomai", "user01")
    screenshot(driver, "home")
    inquire(driver, network, "0001000002", "42", "sapporo", "TM00000000000002", action="check")
    assert "照会できます" in driver.find_element(By.ID, "check").text
    assert_every_field_labelled(driver)
    screenshot(driver, "inquiry")
    inquire(driver, network, "0001000002", "42", "sapporo", "TM00000000000002")
    assert "completed" in driver.find_element(By.ID, "status").text
    assert "合計所得金額" in driver.page_source
    screenshot(driver, "result")


def test_a_denial_names_the_rule_and_the_field(network, browser):
    driver = browser()
    sign_in(driver, network, "tomakomai", "user01")
    inquire(driver, network, "0001000002", "42", "nenkin", "TM90000000000004")
    check = driver.find_element(By.ID, "check").text
    assert "RULE_NOT_PERMITTED" in check
    assert "情報照会先 (provider)" in check
    screenshot(driver, "denial")


def test_a_tax_user_cannot_open_kokuho_results(network, browser):
    kokuho = browser()
    sign_in(kokuho, network, "tomakomai", "user01")
    inquire(kokuho, network, "0001000002", "42", "sapporo", "TM00000000000002")
    reception = kokuho.find_element(By.ID, "reception").text
    zei = browser()
    sign_in(zei, network, "tomakomai", "zei01")
    # By the page (the 受付番号 form) and by the URL.
    zei.get(network.console + "/results")
    zei.find_element(By.ID, "reception").send_keys(reception + Keys.ENTER)
    wait(zei, 20).until(lambda d: "SYSTEM_NOT_AUTHORIZED" in d.page_source)
    assert "合計所得金額" not in zei.page_source
    zei.get(network.console + "/results/" + reception)
    assert "SYSTEM_NOT_AUTHORIZED" in zei.page_source
    assert "合計所得金額" not in zei.page_source


def test_manual_response_withheld_with_a_reason(network, browser):
    trainer = browser()
    sign_in(trainer, network, "tomakomai", "trainer01")
    trainer.get(network.console + "/trainer")
    Select(trainer.find_element(By.ID, "scenario")).select_by_value("training")
    trainer.find_element(By.ID, "scenario").submit()
    wait(trainer, 60).until(lambda d: d.find_element(By.ID, "current-scenario").text == "training")
    asker = browser()
    sign_in(asker, network, "tomakomai", "user01")
    inquire(asker, network, "0001000003", "42", "sapporo", "TM00000000000002")
    reception = asker.find_element(By.ID, "reception").text
    assert "awaiting_manual" in asker.find_element(By.ID, "status").text
    staff = browser()
    sign_in(staff, network, "sapporo", "user01")
    staff.get(network.console + "/queue")
    assert reception in staff.page_source
    countdown = staff.find_element(By.CSS_SELECTOR, ".countdown").text
    assert "時間" in countdown, countdown
    assert_every_field_labelled(staff)
    screenshot(staff, "queue")
    staff.find_element(By.ID, "reason-" + reception).send_keys("DV等支援措置の対象者のため")
    staff.find_element(By.CSS_SELECTOR, f"form[action='/queue/{reception}'] button[value=withhold]").send_keys(Keys.ENTER)
    wait(staff, 20).until(lambda d: "不提供と" in d.page_source)
    asker.get(network.console + "/results/" + reception)
    wait(asker, 30).until(lambda d: "withheld" in d.find_element(By.ID, "status").text or d.refresh())


def test_an_exercise_is_completed_and_scored(network, browser):
    driver = browser()
    sign_in(driver, network, "tomakomai", "user01")
    driver.get(network.console + "/exercises/item42-nenkin")
    driver.find_element(By.ID, "start").send_keys(Keys.ENTER)
    wait(driver, 20).until(lambda d: d.find_elements(By.ID, "score"))
    assert "0 / 2" in driver.find_element(By.ID, "score").text
    inquire(driver, network, "0001000002", "42", "nenkin", "TM90000000000004")
    driver.get(network.console + "/exercises/item42-nenkin")
    # The score is read from the journal each time the page is opened: open it again until it shows.
    wait(driver, 20).until(lambda d: "1 / 2" in d.find_element(By.ID, "score").text or d.refresh())
    driver.find_element(By.CSS_SELECTOR, "#step-why input[value=b]").send_keys(Keys.SPACE)
    driver.find_element(By.CSS_SELECTOR, "#step-why button").send_keys(Keys.ENTER)
    wait(driver, 20).until(lambda d: "2 / 2" in d.find_element(By.ID, "score").text)
    assert "完了しました" in driver.page_source
    screenshot(driver, "exercise")
    trainer = browser()
    sign_in(trainer, network, "tomakomai", "trainer01")
    trainer.get(network.console + "/trainer")
    assert "tomakomai/user01" in trainer.page_source
    assert "2 / 2" in trainer.page_source
    screenshot(trainer, "trainer")


def test_audit_status_per_node(network, browser):
    driver = browser()
    sign_in(driver, network, "tomakomai", "user01")
    driver.get(network.console + "/audit")
    wait(driver, 60).until(lambda d: d.find_elements(By.ID, "audit-result"))
    assert "すべてのノードで検証に成功しました" in driver.find_element(By.ID, "audit-result").text
    for node in ["nws", "jlis", "ms-municipal", "atena-tomakomai"]:
        assert node + ": " in driver.page_source
    assert "witnessed by tsa" in driver.page_source
    screenshot(driver, "audit")


class Focused:
    """What has the focus, read in one round trip (each WebDriver call costs tens of ms)."""

    def __init__(self, driver):
        self.id, self.tag, self.href, self.text = driver.execute_script(
            "const e = document.activeElement;"
            "return [e.id || '', e.tagName.toLowerCase(), e.getAttribute('href') || '', (e.textContent || '').trim()];")


def press(driver, *keys):
    ActionChains(driver).send_keys(*keys).perform()


def chord(driver, modifier, key):
    """A key with a modifier held down (Shift+Tab, Ctrl+A)."""
    ActionChains(driver).key_down(modifier).send_keys(key).key_up(modifier).perform()


def tab_to(driver, matches, limit=80):
    """Presses Tab until the focused element matches; fails after `limit` presses."""
    for _ in range(limit):
        press(driver, Keys.TAB)
        if matches(Focused(driver)):
            return
    raise AssertionError(f"Tab never reached the element on {driver.current_url}")


def choose_by_keyboard(driver, value):
    """On the focused select: Home, then the down arrow until the value is chosen."""
    read = "const e = document.activeElement; return [e.tagName.toLowerCase(), e.value, e.options ? e.options.length : 0, e.id];"
    tag, _, options, identifier = driver.execute_script(read)
    assert tag == "select", f"the focus is on a {tag}, not a select"
    press(driver, Keys.HOME)
    for _ in range(options):
        if driver.execute_script(read)[1] == value:
            return
        press(driver, Keys.ARROW_DOWN)
    assert driver.execute_script(read)[1] == value, f"{value} is not an option of #{identifier}"


def test_duplicates_registered_with_the_keyboard_alone(network, browser):
    """Sign-in, the menu, the 副本 viewer and a registration with errors, by Tab, arrows, typing and Enter."""
    driver = browser()
    driver.get(network.console + "/login")
    assert Focused(driver).id == "user", "the ユーザID field has the focus"
    chord(driver, Keys.SHIFT, Keys.TAB)
    choose_by_keyboard(driver, "tomakomai")
    press(driver, Keys.TAB, "user01", Keys.TAB, PASSWORD, Keys.ENTER)
    wait(driver, 20).until(lambda d: "メニュー" in d.title)

    tab_to(driver, lambda e: e.href == "/duplicates")
    press(driver, Keys.ENTER)
    wait(driver, 20).until(lambda d: d.find_elements(By.ID, "target"))
    tab_to(driver, lambda e: e.id == "target")
    choose_by_keyboard(driver, "tomakomai/zei|TM00000000000002")
    press(driver, Keys.TAB, "0001000062", Keys.ENTER)
    wait(driver, 20).until(lambda d: "件" in d.page_source)
    assert "個人住民税課税情報" in driver.page_source
    assert_every_field_labelled(driver)
    screenshot(driver, "duplicates")

    tab_to(driver, lambda e: e.tag == "a" and e.href.startswith("/duplicates/new"))
    press(driver, Keys.ENTER)
    wait(driver, 20).until(lambda d: d.find_elements(By.ID, "item-K0001"))
    assert_every_field_labelled(driver)
    # The fields come in the order of the form: 宛名番号 is filled in, then the record, then each item and its 未設定事由.
    tab_to(driver, lambda e: e.id == "recordKey")
    press(driver, "2032", Keys.TAB)
    order = []
    for _ in range(4 + 9 * 2):
        order.append(Focused(driver).id)
        press(driver, Keys.TAB)
    expected = ["version", "published", "ends"] + [f"{kind}-K000{n}" for n in range(1, 10) for kind in ("item", "null")]
    assert order[: len(expected)] == expected, order
    # Type the items: a year in Japanese era, an amount with 万, and nothing for 扶養親族数.
    tab_to(driver, lambda e: e.id == "item-K0001")
    values = {"K0001": "令和14", "K0002": "2031", "K0003": "課税", "K0004": "240万", "K0005": "3500", "K0006": "0", "K0007": "1500", "K0008": "0"}
    for code, value in values.items():
        assert Focused(driver).id == f"item-{code}"
        press(driver, value, Keys.TAB, Keys.TAB)
    # Enter in the empty 扶養親族数 field sends the form.
    assert Focused(driver).id == "item-K0009"
    press(driver, Keys.ENTER)
    wait(driver, 20).until(lambda d: d.find_elements(By.ID, "problems"))
    assert "3 件の誤りがあります" in driver.find_element(By.ID, "problems").text
    for code in ["K0001", "K0004", "K0009"]:
        field = driver.find_element(By.ID, f"item-{code}")
        assert field.get_attribute("aria-invalid") == "true", code
        assert f"error-{code}" in field.get_attribute("aria-describedby")
    assert "must be a year" in driver.find_element(By.ID, "error-K0001").text
    driver.execute_script("document.querySelector('table.items').scrollIntoView()")
    screenshot(driver, "duplicate-errors")

    # Correct them by keyboard: select the text of each field and type over it; 未設定事由 for K0009.
    tab_to(driver, lambda e: e.id == "item-K0001")
    chord(driver, Keys.CONTROL, "a")
    press(driver, "2032")
    tab_to(driver, lambda e: e.id == "item-K0004")
    chord(driver, Keys.CONTROL, "a")
    press(driver, "2400000")
    tab_to(driver, lambda e: e.id == "null-K0009")
    choose_by_keyboard(driver, "NotAcceptable")
    tab_to(driver, lambda e: e.tag == "button" and e.text == "登録する")
    press(driver, Keys.ENTER)
    wait(driver, 20).until(lambda d: "を登録しました" in d.page_source)
    assert "レコードキー 2032" in driver.page_source
